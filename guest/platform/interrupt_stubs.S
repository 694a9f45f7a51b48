/*
 * Interrupt entry stubs. Each vector's stub pushes a dummy error code where the CPU pushes
 * none, then its vector number, so every frame has one shape (struct interrupt_frame in
 * interrupts.c); the common path saves the registers the C ABI lets a callee clobber and calls
 * interrupt_dispatch(frame). No SSE state is saved: the guest is built without SSE, x87 or MMX.
 */

        .altmacro       /* lets STUB %vector pass the value of `vector`, not its name */
        .section .text.interrupts, "ax", @progbits
        .code64

/* Vectors for which the CPU pushes an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

.macro STUB vector
        .balign 16
stub_\vector:
        .if !HAS_ERROR_CODE(\vector)
        pushq   $0
        .endif
        pushq   $\vector
        jmp     interrupt_common
.endm

.macro STUB_ADDRESS vector
        .quad   stub_\vector
.endm

interrupt_common:
        pushq   %rax
        pushq   %rcx
        pushq   %rdx
        pushq   %rsi
        pushq   %rdi
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        /*
         * 9 saved registers + vector + error code + the CPU's 5-word frame = 16 words, and the
         * CPU aligned %rsp to 16 before pushing, so %rsp is 16-byte aligned for the call.
         */
        movq    %rsp, %rdi
        cld
        call    interrupt_dispatch
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rax
        addq    $16, %rsp               /* the vector and the error code */
        iretq

/* Exceptions 0-31, the platform's interrupt vectors 32-47 (see interrupts.c), spurious 255. */
        .set    vector, 0
        .rept   48
        STUB    %vector
        .set    vector, vector + 1
        .endr
        STUB    255

/* The stub addresses, read by interrupts.c to fill the IDT: 48 entries, then vector 255. */
        .section .rodata.interrupts, "a", @progbits
        .balign 8
        .globl  interrupt_stubs
interrupt_stubs:
        .set    vector, 0
        .rept   48
        STUB_ADDRESS %vector
        .set    vector, vector + 1
        .endr
        STUB_ADDRESS 255
