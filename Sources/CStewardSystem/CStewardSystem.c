#define _GNU_SOURCE
#include "CStewardSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int steward_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int steward_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int steward_waitid_pidfd(int pidfd, int flags, int *exited, int *status) {
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | flags) != 0) {
        return -1;
    }
    if (info.si_pid == 0) {
        *exited = 0;
        *status = -1;
        return 0;
    }
    *exited = info.si_code == CLD_EXITED ? 1 : 0;
    *status = info.si_status;
    return 0;
}

short steward_posix_spawn_setsid_flag(void) {
    return POSIX_SPAWN_SETSID;
}

int steward_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int steward_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

void steward_sigset_all_catchable(sigset_t *mask) {
    sigfillset(mask);
    sigdelset(mask, SIGKILL);
    sigdelset(mask, SIGSTOP);
    // glibc's sigfillset leaves out its internal signals 32 and 33 (SIGCANCEL, SIGSETXID), and
    // posix_spawn's child then sets them to SIG_IGN, which survives exec. Set their bits
    // directly (sigaddset refuses them) so that the child resets them to SIG_DFL too.
    for (int sig = 32; sig <= 33 && sig < SIGRTMIN; sig++) {
        mask->__val[(sig - 1) / (8 * sizeof(unsigned long))] |= 1UL << ((sig - 1) % (8 * sizeof(unsigned long)));
    }
}

int steward_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

pid_t steward_gettid(void) {
    return (pid_t)syscall(SYS_gettid);
}
