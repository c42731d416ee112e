/*
 * beacon: the long-running program that `steward-bench supervise` has each supervisor run.
 *
 * On start it sends one datagram to a unix datagram socket, then waits in pause() until a
 * signal ends it (it handles none, so SIGTERM and SIGKILL end it at once). The benchmark
 * listens on the socket and learns from the datagrams when each instance started running,
 * without asking the supervisor.
 *
 * Usage: beacon [SOCKET [ID]]
 *   SOCKET  the socket's path (else $BEACON_SOCKET)
 *   ID      a label sent along (else $BEACON_ID, else "-")
 *
 * Datagram (text): "<pid> <CLOCK_REALTIME ns> <id>"
 *
 * Written in C so that its start-up (a static-ish libc program: well under a millisecond)
 * does not weigh on the supervisors' figures.
 *
 * Build: cc -O2 -o beacon beacon.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);

    const char *path = argc > 1 ? argv[1] : getenv("BEACON_SOCKET");
    const char *id = argc > 2 ? argv[2] : getenv("BEACON_ID");
    if (id == NULL || *id == '\0') id = "-";
    if (path == NULL || *path == '\0') {
        fprintf(stderr, "beacon: name the socket as the first argument or in BEACON_SOCKET\n");
        return 2;
    }

    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "beacon: socket path too long (at most %zu bytes): %s\n", sizeof address.sun_path - 1, path);
        return 2;
    }
    strcpy(address.sun_path, path);

    char message[256];
    int length = snprintf(message, sizeof message, "%ld %lld %s", (long)getpid(),
                          (long long)now.tv_sec * 1000000000LL + now.tv_nsec, id);
    if (length < 0 || length >= (int)sizeof message) length = (int)sizeof message - 1;

    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("beacon: socket");
        return 1;
    }
    /* Blocks while the listener's queue is full, so a burst of starts loses no beacon. */
    if (sendto(fd, message, (size_t)length, 0, (struct sockaddr *)&address, sizeof address) < 0) {
        perror("beacon: sendto");
        return 1;
    }
    close(fd);

    for (;;) pause();
}
