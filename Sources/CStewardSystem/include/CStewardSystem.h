#ifndef CSTEWARDSYSTEM_H
#define CSTEWARDSYSTEM_H

#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/types.h>

/// Wrappers for Linux calls that Swift cannot reach directly: variadic `syscall`, the GNU
/// extensions of `posix_spawn` (declared only with `_GNU_SOURCE`) and the `siginfo_t` union.

/// `pidfd_open(pid, 0)`: a descriptor that becomes readable when the process ends. -1 and errno.
int steward_pidfd_open(pid_t pid);

/// `pidfd_send_signal(fd, sig, NULL, 0)`. -1 and errno.
int steward_pidfd_send_signal(int pidfd, int sig);

/// `waitid(P_PIDFD, fd, WEXITED | flags)`: reaps a child. Returns 0 and sets `*exited` (1: exit
/// status, 0: ended by a signal) and `*status` (the code or the signal); -1 and errno (ECHILD
/// when the process is not our child). With WNOHANG and nothing to reap: 0, `*status` = -1.
int steward_waitid_pidfd(int pidfd, int flags, int *exited, int *status);

/// `POSIX_SPAWN_SETSID` (a GNU extension).
short steward_posix_spawn_setsid_flag(void);

/// `posix_spawn_file_actions_addchdir_np`.
int steward_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// `posix_spawn_file_actions_addclosefrom_np`.
int steward_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// Sets `mask` to all signals but SIGKILL and SIGSTOP (for POSIX_SPAWN_SETSIGDEF).
void steward_sigset_all_catchable(sigset_t *mask);

/// The calling thread's id (`gettid`).
pid_t steward_gettid(void);

/// `pipe2(fds, O_CLOEXEC)`. -1 and errno.
int steward_pipe_cloexec(int fds[2]);

#endif
