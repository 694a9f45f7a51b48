// Batched UDP system calls for DNSFrontend's UDP transport. Swift cannot see `struct mmsghdr`,
// `recvmmsg` or `sendmmsg` through Glibc (they need _GNU_SOURCE), so this declares a struct of
// the same layout and thin wrappers compiled with _GNU_SOURCE (the same approach as SwiftNIO's
// CNIOLinux).
#ifndef CUDPBATCH_H
#define CUDPBATCH_H

#include <sys/socket.h>

/// The layout of `struct mmsghdr`.
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} cudp_mmsghdr;

/// recvmmsg(2) with no timeout.
int cudp_recvmmsg(int fd, cudp_mmsghdr *messages, unsigned int count, int flags);
/// sendmmsg(2).
int cudp_sendmmsg(int fd, cudp_mmsghdr *messages, unsigned int count, int flags);
/// MSG_WAITFORONE: block for the first datagram only.
int cudp_wait_for_one(void);
/// Names the calling thread (at most 15 characters are kept), for ps and top.
void cudp_name_this_thread(const char *name);

#endif
