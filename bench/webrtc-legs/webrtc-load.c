/*
 * Load generator for bench/webrtc-legs.ts: CALLS calls, each a "browser" and a SIP phone.
 * The browser side does what Chromium does toward an ICE-lite PBX: one STUN connectivity check
 * with USE-CANDIDATE (RFC 8445 §7.2), a DTLS 1.2 client handshake with use_srtp (RFC 5764,
 * OpenSSL — an implementation independent of the PBX's), then SRTP (AEAD_AES_128_GCM, RFC 7714,
 * or AES_CM_128_HMAC_SHA1_80, RFC 3711) with keys exported from DTLS. The phone side is plain
 * RTP. In `plain` mode both sides are plain RTP phones (the baseline). Every side sends a 20 ms
 * PCMU packet (160 octets of payload) every 20 ms and receives its peer's packets.
 *
 * Protocol on stdin/stdout (one line each):
 *   argv:  webrtc-load CALLS webrtc|plain gcm|cm|any [client|server]   (our DTLS role, default client)
 *   out:   fingerprint sha-256 AB:CD:...        (the browsers' certificate)
 *   out:   ports B0 P0 B1 P1 ...                browser and phone source port of each call
 *   in:    call K BTARGET PTARGET [EP_UFRAG EP_PWD BR_UFRAG]   one line per call
 *   in:    connect                              (webrtc: checks + handshakes, in order)
 *   out:   connected N PROFILE SECONDS          N legs up, the SRTP profile, setup time
 *   in:    start WARMUP_MS DURATION_MS
 *   out:   result B2P_SENT B2P_RECV P2B_SENT P2B_RECV JITTER_MEAN JITTER_P99 TRANSIT_P50
 *          TRANSIT_P99 TRANSIT_MAX LATE_SLOTS AUTH_FAILURES CPU_SECONDS
 *
 * B2P: browser → phone (through the PBX's WebRTC leg and relay); P2B: phone → browser.
 * Jitter (RFC 3550 A.8) and transit use kernel receive timestamps against real send times.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define RING 1024
#define SLOTS 20
#define PAYLOAD 160
#define PKT (12 + PAYLOAD)
#define BATCH 64
#define SSRC_BASE 0x20000000u
#define HIST_US 10
#define HIST_N 1000000

typedef struct {
  int gcm;
  uint8_t key[16], salt[14], auth[20];
  EVP_CIPHER_CTX *ctx;
} srtp_dir;

typedef struct {
  int bfd, pfd;            /* browser and phone sockets */
  uint16_t btarget, ptarget; /* where each sends: WebRTC leg (or relay a), relay b */
  char ep_ufrag[64], ep_pwd[128], br_ufrag[64];
  srtp_dir tx, rx;
  uint32_t rx_roc;
  int rx_last;             /* highest sequence number seen, -1 before the first */
  int up;                  /* checked and handshaken (always, in plain mode) */
} call_t;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void die(const char *what) {
  fprintf(stderr, "webrtc-load: %s\n", what);
  ERR_print_errors_fp(stderr);
  exit(1);
}

/* ─── STUN (RFC 8489) ──────────────────────────────────────────────────────────────────── */

static uint32_t crc_table[256];
static void crc_init(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}
static uint32_t crc32_of(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static size_t put_attr(uint8_t *b, size_t off, uint16_t type, const void *v, uint16_t len) {
  b[off] = type >> 8;
  b[off + 1] = type & 0xff;
  b[off + 2] = len >> 8;
  b[off + 3] = len & 0xff;
  memcpy(b + off + 4, v, len);
  size_t padded = (len + 3u) & ~3u;
  memset(b + off + 4 + len, 0, padded - len);
  return off + 4 + padded;
}

/* A Binding request as a controlling agent nominating the pair (RFC 8445 §7.2.2). */
static size_t stun_check(uint8_t *b, const call_t *c, uint8_t txid[12]) {
  char username[160];
  snprintf(username, sizeof username, "%s:%s", c->ep_ufrag, c->br_ufrag);
  memset(b, 0, 20);
  b[1] = 0x01; /* Binding request */
  b[4] = 0x21, b[5] = 0x12, b[6] = 0xa4, b[7] = 0x42;
  RAND_bytes(txid, 12);
  memcpy(b + 8, txid, 12);
  size_t off = 20;
  off = put_attr(b, off, 0x0006, username, (uint16_t)strlen(username));
  uint8_t prio[4] = {0x6e, 0x7f, 0x1e, 0xff};
  off = put_attr(b, off, 0x0024, prio, 4);
  uint8_t tie[8];
  RAND_bytes(tie, 8);
  off = put_attr(b, off, 0x802a, tie, 8); /* ICE-CONTROLLING */
  off = put_attr(b, off, 0x0025, "", 0);  /* USE-CANDIDATE */
  size_t mlen = off + 24 - 20;
  b[2] = mlen >> 8, b[3] = mlen & 0xff;
  unsigned int maclen = 0;
  uint8_t mac[EVP_MAX_MD_SIZE];
  HMAC(EVP_sha1(), c->ep_pwd, (int)strlen(c->ep_pwd), b, off, mac, &maclen);
  off = put_attr(b, off, 0x0008, mac, 20);
  mlen = off + 8 - 20;
  b[2] = mlen >> 8, b[3] = mlen & 0xff;
  uint32_t crc = crc32_of(b, off) ^ 0x5354554eu;
  uint8_t fp[4] = {crc >> 24, (crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff};
  return put_attr(b, off, 0x8028, fp, 4);
}

static int ice_check(call_t *c) {
  uint8_t req[512], res[1500], txid[12];
  size_t n = stun_check(req, c, txid);
  for (int attempt = 0; attempt < 40; attempt++) {
    if (send(c->bfd, req, n, 0) < 0) return -1;
    struct pollfd p = {.fd = c->bfd, .events = POLLIN};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t r = recv(c->bfd, res, sizeof res, 0);
    if (r >= 20 && res[0] == 0x01 && res[1] == 0x01 && memcmp(res + 8, txid, 12) == 0) return 0;
  }
  return -1;
}

/* ─── SRTP (RFC 3711, RFC 7714) ────────────────────────────────────────────────────────── */

/* RFC 3711 §4.3.1: the AES-CM PRF of the master key at x = salt XOR label·2^48 (kdr 0). */
static void kdf(const uint8_t *mk, const uint8_t *ms, int saltlen, uint8_t label, uint8_t *out, int outlen) {
  uint8_t iv[16] = {0}, zeros[64] = {0};
  memcpy(iv, ms, saltlen);
  iv[7] ^= label;
  EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
  int l;
  EVP_EncryptInit_ex(x, EVP_aes_128_ctr(), NULL, mk, iv);
  EVP_EncryptUpdate(x, out, &l, zeros, outlen);
  EVP_CIPHER_CTX_free(x);
}

static void srtp_init(srtp_dir *d, int gcm, const uint8_t *mk, const uint8_t *ms, int decrypt) {
  int saltlen = gcm ? 12 : 14;
  d->gcm = gcm;
  kdf(mk, ms, saltlen, 0x00, d->key, 16);
  kdf(mk, ms, saltlen, 0x01, d->auth, 20);
  kdf(mk, ms, saltlen, 0x02, d->salt, saltlen);
  d->ctx = EVP_CIPHER_CTX_new();
  const EVP_CIPHER *cipher = gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
  if (decrypt && gcm) EVP_DecryptInit_ex(d->ctx, cipher, NULL, d->key, NULL);
  else EVP_EncryptInit_ex(d->ctx, cipher, NULL, d->key, NULL);
}

static void make_iv(const srtp_dir *d, uint32_t ssrc, uint32_t roc, uint16_t seq, uint8_t *iv) {
  memset(iv, 0, 16);
  if (d->gcm) { /* RFC 7714 §8.1: 00 00 | SSRC | ROC | SEQ, XOR the 96-bit salt */
    iv[2] = ssrc >> 24, iv[3] = ssrc >> 16, iv[4] = ssrc >> 8, iv[5] = ssrc;
    iv[6] = roc >> 24, iv[7] = roc >> 16, iv[8] = roc >> 8, iv[9] = roc;
    iv[10] = seq >> 8, iv[11] = seq;
    for (int i = 0; i < 12; i++) iv[i] ^= d->salt[i];
  } else { /* RFC 3711 §4.1.1: salt·2^16 XOR SSRC·2^64 XOR index·2^16 */
    iv[4] = ssrc >> 24, iv[5] = ssrc >> 16, iv[6] = ssrc >> 8, iv[7] = ssrc;
    iv[8] = roc >> 24, iv[9] = roc >> 16, iv[10] = roc >> 8, iv[11] = roc;
    iv[12] = seq >> 8, iv[13] = seq;
    for (int i = 0; i < 14; i++) iv[i] ^= d->salt[i];
  }
}

/* Protects the 172-octet RTP packet in p (12-octet header) into out; returns its length. */
static int srtp_protect(srtp_dir *d, const uint8_t *p, uint8_t *out) {
  uint32_t ssrc = ((uint32_t)p[8] << 24) | (p[9] << 16) | (p[10] << 8) | p[11];
  uint16_t seq = (uint16_t)((p[2] << 8) | p[3]);
  uint8_t iv[16];
  int l;
  make_iv(d, ssrc, 0, seq, iv);
  memcpy(out, p, 12);
  if (d->gcm) {
    EVP_EncryptInit_ex(d->ctx, NULL, NULL, NULL, iv);
    EVP_EncryptUpdate(d->ctx, NULL, &l, p, 12);
    EVP_EncryptUpdate(d->ctx, out + 12, &l, p + 12, PAYLOAD);
    EVP_EncryptFinal_ex(d->ctx, out + 12 + PAYLOAD, &l);
    EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_GCM_GET_TAG, 16, out + PKT);
    return PKT + 16;
  }
  EVP_EncryptInit_ex(d->ctx, NULL, NULL, NULL, iv);
  EVP_EncryptUpdate(d->ctx, out + 12, &l, p + 12, PAYLOAD);
  uint8_t roc[4] = {0, 0, 0, 0}, mac[EVP_MAX_MD_SIZE];
  memcpy(out + PKT, roc, 4);
  unsigned int maclen;
  HMAC(EVP_sha1(), d->auth, 20, out, PKT + 4, mac, &maclen);
  memcpy(out + PKT, mac, 10);
  return PKT + 10;
}

/* Unprotects an SRTP packet in place (header unchanged); returns 0 when it authenticates. */
static int srtp_unprotect(call_t *c, uint8_t *p, int n) {
  srtp_dir *d = &c->rx;
  int tag = d->gcm ? 16 : 10;
  if (n < 12 + tag) return -1;
  int hdr = 12 + 4 * (p[0] & 0x0f);
  if (p[0] & 0x10) hdr += 4 + 4 * ((p[hdr + 2] << 8) | p[hdr + 3]);
  if (hdr + tag > n) return -1;
  uint32_t ssrc = ((uint32_t)p[8] << 24) | (p[9] << 16) | (p[10] << 8) | p[11];
  uint16_t seq = (uint16_t)((p[2] << 8) | p[3]);
  uint32_t roc = c->rx_roc; /* RFC 3711 Appendix A, enough for one run */
  if (c->rx_last >= 0 && c->rx_last > 0x8000 && seq < c->rx_last - 0x8000) roc++;
  uint8_t iv[16], buf[2048];
  int l, len = n - tag;
  make_iv(d, ssrc, roc, seq, iv);
  if (d->gcm) {
    EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, iv);
    EVP_DecryptUpdate(d->ctx, NULL, &l, p, hdr);
    EVP_DecryptUpdate(d->ctx, buf, &l, p + hdr, len - hdr);
    EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_GCM_SET_TAG, 16, p + len);
    if (EVP_DecryptFinal_ex(d->ctx, buf + l, &l) <= 0) return -1;
  } else {
    uint8_t mac[EVP_MAX_MD_SIZE], rocb[4] = {roc >> 24, roc >> 16, roc >> 8, roc}, tagc[10];
    unsigned int maclen;
    memcpy(tagc, p + len, 10);
    memcpy(p + len, rocb, 4);
    HMAC(EVP_sha1(), d->auth, 20, p, len + 4, mac, &maclen);
    if (CRYPTO_memcmp(mac, tagc, 10) != 0) return -1;
    EVP_EncryptInit_ex(d->ctx, NULL, NULL, NULL, iv);
    EVP_EncryptUpdate(d->ctx, buf, &l, p + hdr, len - hdr);
  }
  memcpy(p + hdr, buf, len - hdr);
  if (roc != c->rx_roc) c->rx_roc = roc, c->rx_last = seq;
  else if (seq > c->rx_last) c->rx_last = seq;
  return 0;
}

/* ─── DTLS (OpenSSL) ───────────────────────────────────────────────────────────────────── */

static int accept_any(int ok, X509_STORE_CTX *store) {
  (void)ok, (void)store;
  return 1; /* self-signed, as in WebRTC: the PBX checks our fingerprint, we trust its SDP */
}

static SSL_CTX *dtls_context(int server, const char *profiles, char *fingerprint, size_t fplen) {
  SSL_CTX *ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
  if (!ctx) die("SSL_CTX_new");
  EVP_PKEY *key = EVP_EC_gen("P-256");
  X509 *x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 30L * 86400);
  X509_set_pubkey(x, key);
  X509_NAME *name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"webrtc-load", -1, -1, 0);
  X509_set_issuer_name(x, name);
  if (!X509_sign(x, key, EVP_sha256())) die("X509_sign");
  if (SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1) die("certificate");
  /* As server, ask for the client's certificate too (RFC 5763 §5). No cookie exchange. */
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), accept_any);
  if (SSL_CTX_set_tlsext_use_srtp(ctx, profiles) != 0) die("use_srtp");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen;
  X509_digest(x, EVP_sha256(), md, &mdlen);
  size_t o = 0;
  for (unsigned int i = 0; i < mdlen && o + 4 < fplen; i++) o += snprintf(fingerprint + o, fplen - o, i ? ":%02X" : "%02X", md[i]);
  return ctx;
}

/* The handshake (client: the browser said a=setup:active; server: passive), then SRTP keys. */
static int dtls_connect(SSL_CTX *ctx, int server, call_t *c, const char **profile_name) {
  SSL *ssl = SSL_new(ctx);
  BIO *bio = BIO_new_dgram(c->bfd, BIO_NOCLOSE);
  struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(c->btarget),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, &peer);
  struct timeval tv = {.tv_sec = 0, .tv_usec = 500000};
  BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv);
  SSL_set_bio(ssl, bio, bio);
  /* Blocking with a receive timeout: retry (DTLS retransmits on its own timer) for up to 20 s. */
  double deadline = now_ms() + 20000;
  for (;;) {
    int r = server ? SSL_accept(ssl) : SSL_connect(ssl);
    if (r == 1) break;
    int e = SSL_get_error(ssl, r);
    if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) && now_ms() < deadline) {
      DTLSv1_handle_timeout(ssl);
      continue;
    }
    SSL_free(ssl);
    return -1;
  }
  const SRTP_PROTECTION_PROFILE *p = SSL_get_selected_srtp_profile(ssl);
  if (!p) return -1;
  int gcm = p->id == SRTP_AEAD_AES_128_GCM;
  int saltlen = gcm ? 12 : 14;
  uint8_t km[2 * (16 + 14)];
  if (SSL_export_keying_material(ssl, km, 2 * (16 + saltlen), "EXTRACTOR-dtls_srtp", 19, NULL, 0, 0) != 1)
    return -1;
  /* RFC 5764 §4.2: client key | server key | client salt | server salt. */
  const uint8_t *ck = km, *sk = km + 16, *cs = km + 32, *ss = km + 32 + saltlen;
  srtp_init(&c->tx, gcm, server ? sk : ck, server ? ss : cs, 0);
  srtp_init(&c->rx, gcm, server ? ck : sk, server ? cs : ss, 1);
  c->rx_last = -1;
  *profile_name = p->name;
  /* No close_notify: the association stays up after the SSL object goes. */
  SSL_set_quiet_shutdown(ssl, 1);
  SSL_free(ssl);
  return 0;
}

/* ─── main ─────────────────────────────────────────────────────────────────────────────── */

static int udp_socket(uint16_t *port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int one = 1, big = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  socklen_t len = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &len);
  *port = ntohs(a.sin_port);
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: webrtc-load CALLS webrtc|plain gcm|cm|any\n");
    return 2;
  }
  int calls = atoi(argv[1]);
  int webrtc = strcmp(argv[2], "webrtc") == 0;
  const char *profiles = strcmp(argv[3], "gcm") == 0  ? "SRTP_AEAD_AES_128_GCM"
                         : strcmp(argv[3], "cm") == 0 ? "SRTP_AES128_CM_SHA1_80"
                                                      : "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
  int server = argc > 4 && strcmp(argv[4], "server") == 0;
  crc_init();
  char fingerprint[200] = "";
  SSL_CTX *ctx = webrtc ? dtls_context(server, profiles, fingerprint, sizeof fingerprint) : NULL;
  printf("fingerprint sha-256 %s\n", webrtc ? fingerprint : "-");
  call_t *c = calloc(calls, sizeof(call_t));
  printf("ports");
  for (int k = 0; k < calls; k++) {
    uint16_t bp, pp;
    c[k].bfd = udp_socket(&bp);
    c[k].pfd = udp_socket(&pp);
    printf(" %d %d", bp, pp);
  }
  printf("\n");
  fflush(stdout);

  char line[1024];
  int got = 0;
  while (got < calls && fgets(line, sizeof line, stdin)) {
    int k, bt, pt;
    char u[64] = "", pw[128] = "", bu[64] = "";
    if (sscanf(line, "call %d %d %d %63s %127s %63s", &k, &bt, &pt, u, pw, bu) < 3 || k < 0 || k >= calls)
      die("bad call line");
    c[k].btarget = (uint16_t)bt, c[k].ptarget = (uint16_t)pt;
    strcpy(c[k].ep_ufrag, u), strcpy(c[k].ep_pwd, pw), strcpy(c[k].br_ufrag, bu);
    got++;
  }
  if (!fgets(line, sizeof line, stdin) || strncmp(line, "connect", 7) != 0) die("expected connect");
  double t_setup = now_ms();
  int up = 0;
  const char *profile_name = "none";
  for (int k = 0; k < calls; k++) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(c[k].btarget),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (webrtc) {
      connect(c[k].bfd, (struct sockaddr *)&a, sizeof a);
      if (ice_check(&c[k]) != 0) {
        fprintf(stderr, "webrtc-load: call %d: no answer to the ICE check\n", k);
        continue;
      }
      if (dtls_connect(ctx, server, &c[k], &profile_name) != 0) {
        fprintf(stderr, "webrtc-load: call %d: DTLS handshake failed\n", k);
        ERR_print_errors_fp(stderr);
        continue;
      }
    }
    c[k].up = 1;
    up++;
  }
  printf("connected %d %s %.3f\n", up, webrtc ? profile_name : "plain", (now_ms() - t_setup) / 1000);
  fflush(stdout);

  int warmup_ms, duration_ms;
  if (scanf(" start %d %d", &warmup_ms, &duration_ms) != 2) die("expected start");
  int phones = 2 * calls; /* phone 2k: browser of call k; 2k+1: its SIP phone */
  double *sent_at = calloc((size_t)phones * RING, sizeof(double));
  double *jitter = calloc(phones, sizeof(double));
  double *last_transit = calloc(phones, sizeof(double));
  uint32_t *hist = calloc(HIST_N, sizeof(uint32_t));
  uint16_t *seq = calloc(phones, sizeof(uint16_t));
  uint32_t *ts = calloc(phones, sizeof(uint32_t));
  long long sent_dir[2] = {0, 0}, recv_dir[2] = {0, 0}, late = 0, auth_failures = 0;
  for (int i = 0; i < phones; i++) {
    last_transit[i] = -1;
    seq[i] = (uint16_t)(rand() % 30000);
  }
  double transit_max = 0;

  int ep = epoll_create1(0);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)phones};
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
  for (int i = 0; i < phones; i++) {
    ev.data.u32 = (uint32_t)i;
    epoll_ctl(ep, EPOLL_CTL_ADD, i & 1 ? c[i / 2].pfd : c[i / 2].bfd, &ev);
  }
  struct itimerspec its = {.it_interval = {0, 1000000}, .it_value = {0, 1000000}};
  timerfd_settime(tfd, 0, &its, NULL);

  struct mmsghdr rmsg[BATCH];
  struct iovec riov[BATCH];
  uint8_t rbuf[BATCH][512];
  char rctl[BATCH][64];
  uint8_t pkt[PKT], out[PKT + 32];

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
      if (id == (uint32_t)phones) {
        uint64_t expirations;
        if (read(tfd, &expirations, sizeof expirations) < 0) {}
        while (sending && t0 + tick <= now) {
          double slot_time = t0 + tick;
          if (slot_time >= stop_at) {
            sending = 0;
            break;
          }
          if (now - slot_time > 5) late++;
          int measuring = slot_time >= measure_from;
          for (int i = (int)(tick % SLOTS); i < phones; i += SLOTS) {
            call_t *cc = &c[i / 2];
            if (!cc->up) continue; /* a leg that never came up sends nothing */
            int browser = !(i & 1);
            pkt[0] = 0x80, pkt[1] = 0;
            pkt[2] = seq[i] >> 8, pkt[3] = seq[i] & 0xff;
            uint32_t t = htonl(ts[i]), s = htonl(SSRC_BASE + (uint32_t)i);
            memcpy(pkt + 4, &t, 4);
            memcpy(pkt + 8, &s, 4);
            memset(pkt + 12, 0xd5, PAYLOAD);
            sent_at[(size_t)i * RING + seq[i] % RING] = measuring ? now_ms() : -1;
            if (browser && webrtc) {
              int len = srtp_protect(&cc->tx, pkt, out);
              send(cc->bfd, out, len, 0);
            } else {
              struct sockaddr_in dst = {.sin_family = AF_INET,
                                        .sin_port = htons(browser ? cc->btarget : cc->ptarget),
                                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
              sendto(browser ? cc->bfd : cc->pfd, pkt, PKT, 0, (struct sockaddr *)&dst, sizeof dst);
            }
            seq[i]++;
            ts[i] += 160;
            if (measuring) sent_dir[browser ? 0 : 1]++;
          }
          tick++;
        }
        continue;
      }
      int to = (int)id; /* the receiving phone */
      call_t *cc = &c[to / 2];
      int fd = to & 1 ? cc->pfd : cc->bfd;
      for (;;) {
        for (int b = 0; b < BATCH; b++) {
          riov[b] = (struct iovec){rbuf[b], sizeof rbuf[b]};
          rmsg[b].msg_hdr = (struct msghdr){.msg_iov = &riov[b], .msg_iovlen = 1,
                                            .msg_control = rctl[b], .msg_controllen = sizeof rctl[b]};
        }
        int r = recvmmsg(fd, rmsg, BATCH, MSG_DONTWAIT, NULL);
        if (r <= 0) break;
        for (int b = 0; b < r; b++) {
          uint8_t *p = rbuf[b];
          int len = (int)rmsg[b].msg_len;
          if (len < 12 || (p[0] & 0xc0) != 0x80) continue; /* STUN, DTLS */
          int pt = p[1] & 0x7f;
          if (pt >= 64 && pt <= 95) continue; /* RTCP */
          if (!(to & 1) && webrtc && srtp_unprotect(cc, p, len) != 0) {
            auth_failures++;
            continue;
          }
          /* Each socket hears only its own call's peer (a PBX may rewrite the SSRC). */
          uint32_t from = (uint32_t)(to ^ 1);
          uint16_t s = (uint16_t)((p[2] << 8) | p[3]);
          double at = sent_at[(size_t)from * RING + s % RING];
          if (at < measure_from) continue;
          double arrival = now_ms();
          for (struct cmsghdr *cm = CMSG_FIRSTHDR(&rmsg[b].msg_hdr); cm; cm = CMSG_NXTHDR(&rmsg[b].msg_hdr, cm)) {
            if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
              struct timespec kt;
              memcpy(&kt, CMSG_DATA(cm), sizeof kt);
              arrival = kt.tv_sec * 1e3 + kt.tv_nsec / 1e6;
            }
          }
          recv_dir[to & 1 ? 0 : 1]++;
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

  long long total = recv_dir[0] + recv_dir[1];
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
  printf("result %lld %lld %lld %lld %.4f %.4f %.4f %.4f %.4f %lld %lld %.3f\n", sent_dir[0], recv_dir[0],
         sent_dir[1], recv_dir[1], jsum / phones, jitter[(int)(phones * 0.99)], p50, p99, transit_max, late,
         auth_failures, cpu);
  fflush(stdout);
  return 0;
}
