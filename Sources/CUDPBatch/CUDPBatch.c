#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include "CUDPBatch.h"

_Static_assert(sizeof(cudp_mmsghdr) == sizeof(struct mmsghdr), "cudp_mmsghdr must match struct mmsghdr");
_Static_assert(offsetof(cudp_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "msg_len offset");

int cudp_recvmmsg(int fd, cudp_mmsghdr *messages, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, flags, NULL);
}

int cudp_sendmmsg(int fd, cudp_mmsghdr *messages, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, flags);
}

int cudp_wait_for_one(void) { return MSG_WAITFORONE; }

void cudp_name_this_thread(const char *name) { pthread_setname_np(pthread_self(), name); }
