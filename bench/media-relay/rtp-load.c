/*
 * RTP load generator for bench/media-relay.ts: plays PHONES phones that each send a 20 ms
 * PCMU packet (172 octets) every 20 ms and receive their peer's packets (phone i talks with
 * phone i^1). Written in C with sendmmsg/recvmmsg and kernel receive timestamps so that the
 * load costs little CPU and the measurement excludes this process's own scheduling: what is
 * measured is what the path (the relay under test) adds.
 *
 * Protocol on stdin/stdout (one line each):
 *   argv:   rtp-load PHONES SOCKETS
 *   out:    ports P0 P1 ... P(SOCKETS-1)          phone i sends from socket i % SOCKETS
 *   in:     start WARMUP_MS DURATION_MS T0 ... T(PHONES-1)   T = destination port of phone i
 *   out:    result SENT RECEIVED JITTER_MEAN_MS JITTER_P99_MS TRANSIT_P50_MS TRANSIT_P99_MS
 *           TRANSIT_MAX_MS LATE_SLOTS CPU_SECONDS
 *
 * Jitter: RFC 3550 A.8 per receiving phone over one-way transit = kernel receive time
 * (SO_TIMESTAMPNS) - send time. Loss: packets sent in the measured window and not received
 * 500 ms after the end.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define RING 1024
#define SLOTS 20
#define PKT 172
#define BATCH 64
#define SSRC_BASE 0x10000000u
#define HIST_US 10          /* transit histogram bucket, microseconds */
#define HIST_N 1000000      /* up to 10 s */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rtp-load PHONES SOCKETS\n");
    return 2;
  }
  int phones = atoi(argv[1]);
  int nsock = atoi(argv[2]);
  int *fds = calloc(nsock, sizeof(int));
  printf("ports");
  for (int k = 0; k < nsock; k++) {
    fds[k] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int one = 1, big = 8 << 20;
    setsockopt(fds[k], SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    if (setsockopt(fds[k], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
      setsockopt(fds[k], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fds[k], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) < 0)
      setsockopt(fds[k], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fds[k], (struct sockaddr *)&a, sizeof a) < 0) {
      perror("bind");
      return 1;
    }
    socklen_t len = sizeof a;
    getsockname(fds[k], (struct sockaddr *)&a, &len);
    printf(" %d", ntohs(a.sin_port));
  }
  printf("\n");
  fflush(stdout);

  int warmup_ms, duration_ms;
  if (scanf(" start %d %d", &warmup_ms, &duration_ms) != 2) return 1;
  uint16_t *targets = calloc(phones, sizeof(uint16_t));
  for (int i = 0; i < phones; i++) {
    int t;
    if (scanf("%d", &t) != 1) return 1;
    targets[i] = (uint16_t)t;
  }

  double *sent_at = calloc((size_t)phones * RING, sizeof(double));
  double *jitter = calloc(phones, sizeof(double));
  double *last_transit = calloc(phones, sizeof(double));
  uint32_t *received = calloc(phones, sizeof(uint32_t));
  uint32_t *hist = calloc(HIST_N, sizeof(uint32_t));
  uint16_t *seq = calloc(phones, sizeof(uint16_t));
  uint32_t *ts = calloc(phones, sizeof(uint32_t));
  for (int i = 0; i < phones; i++) {
    last_transit[i] = -1;
    seq[i] = (uint16_t)(rand() % 30000);
  }
  double transit_max = 0;
  long long sent = 0, late = 0;

  /* One 1 ms timer drives the send slots; sockets and timer share one epoll. */
  int ep = epoll_create1(0);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)nsock};
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
  for (int k = 0; k < nsock; k++) {
    ev.data.u32 = (uint32_t)k;
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[k], &ev);
  }
  struct itimerspec its = {.it_interval = {0, 1000000}, .it_value = {0, 1000000}};
  timerfd_settime(tfd, 0, &its, NULL);

  /* Send buffers: one slot's packets, grouped by socket. */
  int per_slot = phones / SLOTS + 1;
  struct mmsghdr *smsg = calloc((size_t)nsock * per_slot, sizeof(struct mmsghdr));
  struct iovec *siov = calloc((size_t)nsock * per_slot, sizeof(struct iovec));
  struct sockaddr_in *sdst = calloc((size_t)nsock * per_slot, sizeof(struct sockaddr_in));
  uint8_t *sbuf = calloc((size_t)nsock * per_slot, PKT);
  int *scount = calloc(nsock, sizeof(int));

  /* Receive buffers. */
  struct mmsghdr rmsg[BATCH];
  struct iovec riov[BATCH];
  uint8_t rbuf[BATCH][256];
  char rctl[BATCH][64];

  double t0 = now_ms() + 50;
  double measure_from = t0 + warmup_ms;
  double stop_at = measure_from + duration_ms;
  double drain_until = stop_at + 500;
  long tick = 0;
  int sending = 1;

  while (1) {
    struct epoll_event evs[64];
    int n = epoll_wait(ep, evs, 64, 10);
    double now = now_ms();
    if (!sending && now >= drain_until) break;
    for (int e = 0; e < n; e++) {
      uint32_t id = evs[e].data.u32;
      if (id == (uint32_t)nsock) {
        uint64_t expirations;
        if (read(tfd, &expirations, sizeof expirations) < 0) {}
        /* Serve every due 1 ms slot (catch up if we were late). */
        while (sending && t0 + tick <= now) {
          double slot_time = t0 + tick;
          if (slot_time >= stop_at) {
            sending = 0;
            break;
          }
          if (now - slot_time > 5) late++;
          int measuring = slot_time >= measure_from;
          memset(scount, 0, nsock * sizeof(int));
          for (int i = (int)(tick % SLOTS); i < phones; i += SLOTS) {
            int k = i % nsock;
            int m = k * per_slot + scount[k]++;
            uint8_t *p = sbuf + (size_t)m * PKT;
            p[0] = 0x80;
            p[1] = 0;
            p[2] = seq[i] >> 8;
            p[3] = seq[i] & 0xff;
            uint32_t t = htonl(ts[i]), s = htonl(SSRC_BASE + (uint32_t)i);
            memcpy(p + 4, &t, 4);
            memcpy(p + 8, &s, 4);
            memset(p + 12, 0xd5, PKT - 12);
            sdst[m] = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(targets[i]),
                                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            siov[m] = (struct iovec){p, PKT};
            smsg[m].msg_hdr = (struct msghdr){.msg_name = &sdst[m], .msg_namelen = sizeof sdst[m],
                                              .msg_iov = &siov[m], .msg_iovlen = 1};
            sent_at[(size_t)i * RING + seq[i] % RING] = measuring ? now_ms() : -1;
            seq[i]++;
            ts[i] += 160;
            if (measuring) sent++;
          }
          for (int k = 0; k < nsock; k++) {
            int off = 0;
            while (off < scount[k]) {
              int r = sendmmsg(fds[k], smsg + k * per_slot + off, scount[k] - off, 0);
              if (r <= 0) break; /* a full send buffer drops: counted as loss, as on a wire */
              off += r;
            }
          }
          tick++;
        }
        continue;
      }
      int fd = fds[id];
      for (;;) {
        for (int b = 0; b < BATCH; b++) {
          riov[b] = (struct iovec){rbuf[b], sizeof rbuf[b]};
          rmsg[b].msg_hdr = (struct msghdr){.msg_iov = &riov[b], .msg_iovlen = 1,
                                            .msg_control = rctl[b], .msg_controllen = sizeof rctl[b]};
        }
        int r = recvmmsg(fd, rmsg, BATCH, MSG_DONTWAIT, NULL);
        if (r <= 0) break;
        for (int b = 0; b < r; b++) {
          if (rmsg[b].msg_len < 12) continue;
          uint8_t *p = rbuf[b];
          uint32_t ssrc = ((uint32_t)p[8] << 24) | (p[9] << 16) | (p[10] << 8) | p[11];
          uint32_t from = ssrc - SSRC_BASE;
          if (from >= (uint32_t)phones) continue;
          uint16_t s = (uint16_t)((p[2] << 8) | p[3]);
          double at = sent_at[(size_t)from * RING + s % RING];
          if (at < measure_from) continue;
          double arrival = now_ms();
          for (struct cmsghdr *c = CMSG_FIRSTHDR(&rmsg[b].msg_hdr); c; c = CMSG_NXTHDR(&rmsg[b].msg_hdr, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
              struct timespec kt;
              memcpy(&kt, CMSG_DATA(c), sizeof kt);
              arrival = kt.tv_sec * 1e3 + kt.tv_nsec / 1e6;
            }
          }
          int to = (int)(from ^ 1);
          received[to]++;
          double transit = arrival - at;
          if (transit < 0) transit = 0;
          if (transit > transit_max) transit_max = transit;
          long bucket = (long)(transit * 1000 / HIST_US);
          hist[bucket < HIST_N ? bucket : HIST_N - 1]++;
          if (last_transit[to] >= 0) {
            double d = transit - last_transit[to];
            if (d < 0) d = -d;
            jitter[to] += (d - jitter[to]) / 16;
          }
          last_transit[to] = transit;
        }
      }
    }
  }

  long long total = 0;
  for (int i = 0; i < phones; i++) total += received[i];
  double jsum = 0;
  for (int i = 0; i < phones; i++) jsum += jitter[i];
  qsort(jitter, phones, sizeof(double), cmp_double);
  double p50 = 0, p99 = 0;
  long long acc = 0;
  for (long b = 0; b < HIST_N; b++) {
    acc += hist[b];
    if (p50 == 0 && acc >= total * 0.5) p50 = (b + 0.5) * HIST_US / 1000.0;
    if (acc >= total * 0.99) {
      p99 = (b + 0.5) * HIST_US / 1000.0;
      break;
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  printf("result %lld %lld %.4f %.4f %.4f %.4f %.4f %lld %.3f\n", sent, total, jsum / phones,
         jitter[(int)(phones * 0.99)], p50, p99, transit_max, late, cpu);
  fflush(stdout);
  return 0;
}
