/*
 * PVH boot stub: QEMU (`-kernel`, libvirt `<kernel>`) finds the Xen PVH note below and enters
 * `pvh_start32` in 32-bit protected mode, paging off, interrupts off, flat segments, with %ebx
 * holding the physical address of the hvm_start_info block. No stack and no usable GDT are
 * promised, so this stub brings its own and switches to long mode before any C or Swift runs.
 */

#define CR0_PG        (1 << 31)
#define CR4_PAE       (1 << 5)
#define MSR_EFER      0xc0000080
#define EFER_LME      (1 << 8)

#define PTE_PRESENT   (1 << 0)
#define PTE_WRITE     (1 << 1)
#define PTE_PWT       (1 << 3)
#define PTE_PCD       (1 << 4)
#define PTE_HUGE      (1 << 7)      /* in a page directory entry: this maps a 2 MiB page */

#define SEL_CODE64    0x08
#define SEL_DATA      0x10

/*
 * The note QEMU's PVH loader looks for: name "Xen", type 18 (XEN_ELFNOTE_PHYS32_ENTRY), a
 * 32-bit entry address. It must be SHT_NOTE ("@note") so the linker emits a PT_NOTE segment,
 * and 4-byte aligned because QEMU pads the name to the segment's alignment.
 */
        .section .note.Xen, "a", @note
        .balign 4
        .long   4                       /* namesz: "Xen\0" */
        .long   4                       /* descsz */
        .long   18                      /* XEN_ELFNOTE_PHYS32_ENTRY */
        .asciz  "Xen"
        .long   pvh_start32

        .section .text.boot, "ax", @progbits
        .code32
        .globl  pvh_start32
pvh_start32:
        /*
         * The guest's boot time is measured from here: the first instruction. .data is loaded
         * from the image and never cleared, so the stamp survives the .bss clearing below.
         */
        rdtsc
        movl    %eax, boot_tsc
        movl    %edx, boot_tsc + 4
        /* %ebx (start_info) is left untouched from here to the call into C. */
        cld
        lgdt    gdt_pointer
        movl    $SEL_DATA, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        movl    %eax, %fs
        movl    %eax, %gs

        /* Long mode needs PAE paging on; the tables are static data (see below). */
        movl    $pml4, %eax
        movl    %eax, %cr3
        movl    %cr4, %eax
        orl     $CR4_PAE, %eax
        movl    %eax, %cr4
        movl    $MSR_EFER, %ecx
        rdmsr
        orl     $EFER_LME, %eax
        wrmsr
        movl    %cr0, %eax
        orl     $CR0_PG, %eax
        movl    %eax, %cr0

        /* Paging with LME set puts us in compatibility mode; loading a 64-bit CS finishes it. */
        ljmp    $SEL_CODE64, $start64

        .code64
start64:
        movq    $stack_top, %rsp

        /*
         * QEMU zeroes .bss when it loads the ELF, but a reset or another loader might not.
         * Only the small .bss is cleared: the heap and stack live in .noinit, which nobody
         * reads before writing, and clearing megabytes is slow where instructions are
         * emulated (kvm_pvm on our build hosts).
         */
        movq    $__bss_start, %rdi
        movq    $__bss_end, %rcx
        subq    %rdi, %rcx
        xorl    %eax, %eax
        rep stosb

        /* A 32-bit move zero-extends, clearing the upper half the mode switch left undefined. */
        movl    %ebx, %edi
        call    platform_start          /* does not return; the loop below is a safety net */
1:      cli
        hlt
        jmp     1b

        .section .data.boot, "aw", @progbits
        .balign 8
        .globl  boot_tsc
boot_tsc:
        .quad   0

        .section .rodata.boot, "a", @progbits
        .balign 8
/* Accessed bits are preset so the CPU never has to write to the descriptors. */
gdt:
        .quad   0                       /* the null descriptor */
        .quad   0x00af9b000000ffff      /* SEL_CODE64: present, ring 0, long mode (L=1) */
        .quad   0x00cf93000000ffff      /* SEL_DATA: flat 4 GiB read/write */
gdt_end:
gdt_pointer:
        .word   gdt_end - gdt - 1
        .long   gdt

/*
 * Identity map built at assembly time instead of by a loop at boot, because every boot
 * instruction counts when the accelerator emulates ring 0. 2 MiB pages cover:
 *   0-1 GiB: RAM (the kernel at 1 MiB, its heap, the start_info block and command line);
 *   3-4 GiB: device MMIO (virtio-mmio at 0xfeb00000, IOAPIC, local APIC), uncached.
 * The CPU sets accessed and dirty bits in these entries, so they live in writable .data.
 */
        .section .data.pagetables, "aw", @progbits
        .balign 4096
pml4:
        .quad   pdpt + PTE_PRESENT + PTE_WRITE
        .fill   511, 8, 0
pdpt:
        .quad   pd_low + PTE_PRESENT + PTE_WRITE
        .quad   0
        .quad   0
        .quad   pd_mmio + PTE_PRESENT + PTE_WRITE
        .fill   508, 8, 0
pd_low:
        .set    page, 0
        .rept   512
        .quad   page + PTE_PRESENT + PTE_WRITE + PTE_HUGE
        .set    page, page + 0x200000
        .endr
pd_mmio:
        .set    page, 0xc0000000
        .rept   512
        .quad   page + PTE_PRESENT + PTE_WRITE + PTE_HUGE + PTE_PCD + PTE_PWT
        .set    page, page + 0x200000
        .endr

/* The boot stack; .noinit is not cleared (see above). */
        .section .noinit.stack, "aw", @nobits
        .balign 16
        .space  64 * 1024
stack_top:
