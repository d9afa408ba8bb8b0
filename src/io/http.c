/*
 * A small HTTP/1.1 client for remote files: range requests of a fixed size,
 * one connection per range (Connection: close), written to a local file.
 * The engine build has no httpfs, so remote http:// locations are fetched
 * here into the adapter's temp directory and the local copy is registered.
 * No TLS: https:// fails with UF_UNSUPPORTED. A server that ignores Range
 * (200 with the whole body) is accepted too.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "io/io_internal.h"

typedef struct url {
  char host[256];
  char port[8];
  char path[2048];
} url;

static uf_status parse_url(const char *s, url *u, uf_error *err) {
  if (strncasecmp(s, "https://", 8) == 0)
    return uf_error_set(err, UF_UNSUPPORTED,
                        "io: https:// needs TLS, which this client lacks: %s",
                        s);
  if (strncasecmp(s, "http://", 7) != 0)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "io: not an http URL: %s", s);
  const char *h = s + 7, *end = h + strcspn(h, "/?#");
  const char *colon = memchr(h, ':', (size_t)(end - h));
  const char *hend = colon ? colon : end;
  if (hend == h || (size_t)(hend - h) >= sizeof u->host)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "io: bad host in %s", s);
  memcpy(u->host, h, (size_t)(hend - h));
  u->host[hend - h] = '\0';
  if (colon) {
    size_t n = (size_t)(end - colon - 1);
    if (n == 0 || n >= sizeof u->port || strspn(colon + 1, "0123456789") < n)
      return uf_error_set(err, UF_INVALID_ARGUMENT, "io: bad port in %s", s);
    memcpy(u->port, colon + 1, n);
    u->port[n] = '\0';
  } else {
    strcpy(u->port, "80");
  }
  const char *p = *end == '/' ? end : "/";
  size_t plen = strcspn(p, "#");
  if (plen >= sizeof u->path)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "io: URL too long: %s", s);
  memcpy(u->path, p, plen);
  u->path[plen] = '\0';
  /* CR/LF or spaces in the target would let a URL inject headers */
  if (strpbrk(u->path, "\r\n \t") || strpbrk(u->host, "\r\n \t/"))
    return uf_error_set(err, UF_INVALID_ARGUMENT, "io: bad characters in %s",
                        s);
  return UF_OK;
}

/* ---- a connection ------------------------------------------------------------ */

static uf_status wait_fd(int fd, short ev, uint32_t timeout_ms, uf_error *err) {
  struct pollfd p = {fd, ev, 0};
  int r;
  do r = poll(&p, 1, (int)timeout_ms); while (r < 0 && errno == EINTR);
  if (r == 0) return uf_error_set(err, UF_IO, "io: http timeout");
  if (r < 0) return uf_error_set(err, UF_IO, "io: poll: %s", strerror(errno));
  return UF_OK;
}

static uf_status connect_to(const url *u, uint32_t timeout_ms, int *out_fd,
                            uf_error *err) {
  struct addrinfo hints = {0}, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(u->host, u->port, &hints, &res);
  if (rc != 0)
    return uf_error_set(err, UF_IO, "io: cannot resolve %s: %s", u->host,
                        gai_strerror(rc));
  int fd = -1, last = 0;
  for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    struct timeval tv = {(time_t)(timeout_ms / 1000),
                         (suseconds_t)((timeout_ms % 1000) * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      last = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0)
    return uf_error_set(err, UF_IO, "io: cannot connect to %s:%s: %s",
                        u->host, u->port, strerror(last ? last : ECONNREFUSED));
  *out_fd = fd;
  return UF_OK;
}

static uf_status send_all(int fd, const char *buf, size_t n, uf_error *err) {
  while (n > 0) {
    ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0)
      return uf_error_set(err, UF_IO, "io: http send: %s", strerror(errno));
    buf += w;
    n -= (size_t)w;
  }
  return UF_OK;
}

/* ---- one ranged GET ------------------------------------------------------------ */

typedef struct response {
  int status;
  int64_t content_length;  /* -1 unknown */
  int64_t range_start, range_end, total; /* from Content-Range; -1 unknown */
  bool chunked;
} response;

static int64_t num(const char *s) {
  char *end;
  long long v = strtoll(s, &end, 10);
  return end == s || v < 0 ? -1 : (int64_t)v;
}

/* Parses the status line and the headers we need. */
static uf_status parse_head(char *head, response *r, uf_error *err) {
  *r = (response){0, -1, -1, -1, -1, false};
  if (sscanf(head, "HTTP/%*d.%*d %d", &r->status) != 1)
    return uf_error_set(err, UF_IO, "io: not an HTTP response");
  for (char *line = strstr(head, "\r\n"); line; line = strstr(line, "\r\n")) {
    line += 2;
    char *colon = strchr(line, ':');
    char *eol = strstr(line, "\r\n");
    if (!colon || (eol && colon > eol)) continue;
    const char *v = colon + 1 + strspn(colon + 1, " \t");
    size_t klen = (size_t)(colon - line);
    if (klen == 14 && strncasecmp(line, "Content-Length", 14) == 0)
      r->content_length = num(v);
    else if (klen == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0)
      r->chunked = strncasecmp(v, "chunked", 7) == 0;
    else if (klen == 13 && strncasecmp(line, "Content-Range", 13) == 0) {
      long long a, b;
      char tot[32] = "";
      if (sscanf(v, "bytes %lld-%lld/%31[0-9*]", &a, &b, tot) >= 2) {
        r->range_start = a;
        r->range_end = b;
        r->total = tot[0] && tot[0] != '*' ? num(tot) : -1;
      }
    }
  }
  return UF_OK;
}

/* GETs [start, start + len) (len 0 = no Range header) and appends the body
 * to f. *r gets the response head. */
static uf_status get_range(const url *u, uint64_t start, uint64_t len,
                           uint32_t timeout_ms, uint64_t max_bytes, FILE *f,
                           response *r, uint64_t *out_got, uf_error *err) {
  int fd = -1;
  uf_status st = connect_to(u, timeout_ms, &fd, err);
  if (st != UF_OK) return st;
  char req[4096];
  int n = len ? snprintf(req, sizeof req,
                         "GET %s HTTP/1.1\r\nHost: %s:%s\r\nRange: bytes=%llu-%llu\r\n"
                         "User-Agent: unifier\r\nConnection: close\r\n\r\n",
                         u->path, u->host, u->port, (unsigned long long)start,
                         (unsigned long long)(start + len - 1))
              : snprintf(req, sizeof req,
                         "GET %s HTTP/1.1\r\nHost: %s:%s\r\n"
                         "User-Agent: unifier\r\nConnection: close\r\n\r\n",
                         u->path, u->host, u->port);
  st = send_all(fd, req, (size_t)n, err);
  char buf[65536];
  size_t have = 0;
  char *body = NULL;
  while (st == UF_OK && !body) { /* read the head */
    if (have == sizeof buf - 1) {
      st = uf_error_set(err, UF_IO, "io: http response head too large");
      break;
    }
    st = wait_fd(fd, POLLIN, timeout_ms, err);
    ssize_t k = st == UF_OK ? recv(fd, buf + have, sizeof buf - 1 - have, 0) : 0;
    if (st != UF_OK) break;
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      st = uf_error_set(err, UF_IO, "io: connection closed in the http head");
      break;
    }
    have += (size_t)k;
    buf[have] = '\0';
    char *e = strstr(buf, "\r\n\r\n");
    if (e) body = e + 4;
  }
  if (st == UF_OK) {
    body[-2] = '\0';
    st = parse_head(buf, r, err);
  }
  if (st == UF_OK && r->status != 200 && r->status != 206)
    st = uf_error_set(err, r->status == 404 ? UF_NOT_FOUND : UF_IO,
                      "io: http %d for %s", r->status, u->path);
  if (st == UF_OK && r->chunked)
    st = uf_error_set(err, UF_UNSUPPORTED, "io: chunked http responses");
  uint64_t got = 0;
  if (st == UF_OK) { /* the body: what followed the head, then the rest */
    size_t first = have - (size_t)(body - buf);
    for (;;) {
      if (first > 0) {
        if (got + first > max_bytes) {
          st = uf_error_set(err, UF_LIMIT_EXCEEDED,
                            "io: remote file larger than %llu bytes",
                            (unsigned long long)max_bytes);
          break;
        }
        if (fwrite(body, 1, first, f) != first) {
          st = uf_error_set(err, UF_IO, "io: write: %s", strerror(errno));
          break;
        }
        got += first;
      }
      if (r->content_length >= 0 && got >= (uint64_t)r->content_length) break;
      st = wait_fd(fd, POLLIN, timeout_ms, err);
      if (st != UF_OK) break;
      ssize_t k = recv(fd, buf, sizeof buf, 0);
      if (k < 0 && errno == EINTR) {
        first = 0;
        continue;
      }
      if (k < 0) {
        st = uf_error_set(err, UF_IO, "io: http recv: %s", strerror(errno));
        break;
      }
      if (k == 0) break;
      body = buf;
      first = (size_t)k;
    }
  }
  if (st == UF_OK && r->content_length >= 0 &&
      got != (uint64_t)r->content_length)
    st = uf_error_set(err, UF_IO, "io: http body truncated (%llu of %lld)",
                      (unsigned long long)got, (long long)r->content_length);
  close(fd);
  *out_got = got;
  return st;
}

uf_status uf_io_http_fetch(const char *url_s, const char *path, uint64_t chunk,
                           uint64_t max_bytes, uint32_t timeout_ms,
                           uint64_t *out_bytes, uf_error *err) {
  if (out_bytes) *out_bytes = 0;
  if (!url_s || !path)
    return uf_error_set(err, UF_INVALID_ARGUMENT, "io: url and path required");
  url u;
  uf_status st = parse_url(url_s, &u, err);
  if (st != UF_OK) return st;
  if (!chunk) chunk = 8u << 20;
  if (!max_bytes) max_bytes = 4ull << 30;
  if (!timeout_ms) timeout_ms = 30000;
  FILE *f = fopen(path, "wb");
  if (!f)
    return uf_error_set(err, UF_IO, "io: cannot create %s: %s", path,
                        strerror(errno));
  uint64_t off = 0;
  int64_t total = -1;
  while (st == UF_OK && (total < 0 || off < (uint64_t)total)) {
    response r;
    uint64_t got = 0;
    st = get_range(&u, off, chunk, timeout_ms, max_bytes - off, f, &r, &got,
                   err);
    if (st != UF_OK) break;
    if (r.status == 200) { /* no range support: the whole file came */
      off += got;
      break;
    }
    if (r.range_start != (int64_t)off) {
      st = uf_error_set(err, UF_IO, "io: server answered range %lld, asked %llu",
                        (long long)r.range_start, (unsigned long long)off);
      break;
    }
    total = r.total;
    off += got;
    if (got == 0) break;            /* nothing more */
    if (total < 0 && got < chunk) break; /* unknown size: a short range ends */
  }
  if (st == UF_OK && fflush(f) != 0)
    st = uf_error_set(err, UF_IO, "io: write %s: %s", path, strerror(errno));
  if (fclose(f) != 0 && st == UF_OK)
    st = uf_error_set(err, UF_IO, "io: close %s: %s", path, strerror(errno));
  if (st != UF_OK) {
    unlink(path);
    return st;
  }
  if (out_bytes) *out_bytes = off;
  return UF_OK;
}
