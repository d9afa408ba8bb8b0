/*
 * simplify: constant folding and boolean algebra that never change results
 * under DuckDB's semantics. Conservative by design: when a rewrite could
 * change a value, a type, an error, the number of parameters or whether a
 * query aggregates, it is not made.
 *
 *   integer literals + - * (and // % on non-negative operands): folded only
 *     when operands and result are INTEGER literals (|v| < 2^31), so the
 *     folded literal has the type of the expression and nothing overflows;
 *     / (DOUBLE in DuckDB) and division by zero are never folded
 *   exact decimal literal sums and differences compared with a numeric
 *     operand (0.06 - 0.01 -> 0.05; the value is exact, only the DECIMAL
 *     width differs, which a comparison does not see)
 *   DATE 'd' +/- INTERVAL n DAY/WEEK/MONTH/QUARTER/YEAR compared with a
 *     DATE or TIMESTAMP operand -> the DATE literal of the shifted day
 *   comparisons of numeric literals (exact decimal compare), = and <> of
 *     string literals; NULL compared with a removable operand -> NULL::BOOLEAN
 *   literal IS [NOT] NULL
 *   NOT TRUE/FALSE; NOT NOT x -> x for a boolean x
 *   AND/OR chains (Kleene logic): TRUE and FALSE units, FALSE AND x ->
 *     FALSE, TRUE OR x -> TRUE, duplicates, absorption x AND (x OR y) -> x
 *   CASE WHEN <constant> ... and COALESCE(<non-null literal>, ...) when the
 *     chosen branch has the type of the whole expression
 *   WHERE TRUE removed
 * Anything dropped must be "removable": no function call (aggregates,
 * volatile functions), subquery or parameter inside.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opt/respell.h"
#include "opt/rewrite.h"
#include "unifier/opt.h"

typedef struct typed_node {
  const uf_node *n;
  const uf_type *ty;
} typed_node;

typedef struct simp {
  uf_tree *t;
  const uf_types *ts; /* types of the input tree, or NULL */
  uf_types *own;      /* ts when annotated here */
  typed_node *extra; /* types of nodes made here */
  size_t nextra, capextra;
  bool sort;          /* the policy orders commutative operands */
  uf_status st;
} simp;

/* -- helpers ------------------------------------------------------------- */

static const uf_type *type_of(simp *s, const uf_node *n) {
  for (size_t i = s->nextra; i-- > 0;)
    if (s->extra[i].n == n) return s->extra[i].ty;
  return s->ts ? uf_node_type(s->ts, n) : NULL;
}

/* Replacement r of n keeps n's type (every rewrite here preserves it). */
static uf_node *replaced(simp *s, uf_node *n, uf_node *r) {
  if (r == NULL || r == n) return n;
  const uf_type *ty = type_of(s, n);
  if (ty == NULL) return r;
  if (s->nextra == s->capextra) {
    size_t cap = s->capextra ? 2 * s->capextra : 32;
    typed_node *e = realloc(s->extra, cap * sizeof *e);
    if (e == NULL) { s->st = UF_NOMEM; return n; }
    s->extra = e;
    s->capextra = cap;
  }
  s->extra[s->nextra++] = (typed_node){r, ty};
  return r;
}

static uf_node *mk(simp *s, uf_kind k, const char *text) {
  uf_node *n = text ? uf_node_new_text(s->t, k, text, strlen(text)) : uf_node_new(s->t, k);
  if (n == NULL) s->st = UF_NOMEM;
  return n;
}

static uf_node *as_boolean(simp *s, uf_node *x);

static uf_node *mk_bool(simp *s, bool v) { return mk(s, UF_BOOLEAN, v ? "TRUE" : "FALSE"); }

static bool is_bool_lit(const uf_node *n, bool v) {
  return uf_is(n, UF_BOOLEAN) && strcmp(n->text, v ? "TRUE" : "FALSE") == 0;
}

/* x is BOOLEAN by its form or its annotated type. */
static bool boolish(simp *s, const uf_node *n) {
  if (n == NULL) return false;
  switch ((uf_kind)n->kind) {
  case UF_AND: case UF_OR: case UF_NOT: case UF_IS: case UF_IS_DISTINCT:
  case UF_BETWEEN: case UF_IN: case UF_LIKE: case UF_EXISTS: case UF_BOOLEAN:
    return true;
  case UF_BINARY:
    if (uf_rw_is_cmp_op(n->text)) return true;
    break;
  default: break;
  }
  const uf_type *ty = type_of(s, n);
  return ty && ty->id == UF_T_BOOLEAN;
}

/* A node whose removal could change results by itself. */
static bool blocks_removal(const uf_node *n) {
  switch ((uf_kind)n->kind) {
  case UF_FUNC: case UF_SUBQUERY: case UF_EXISTS: case UF_PARAM: case UF_QUANTIFIED:
  case UF_STAR: case UF_COLUMNS_EXPR: case UF_LAMBDA:
    return true;
  default:
    return uf_kind_category((uf_kind)n->kind) == UF_CAT_QUERY;
  }
}

static bool removable_rec(const uf_node *n) {
  if (blocks_removal(n)) return false;
  for (uint32_t i = 0; i < n->nkids; i++) {
    const uf_node *k = n->kids[i];
    if (k && (k->nkids ? !removable_rec(k) : blocks_removal(k))) return false;
  }
  return true;
}

/* n can be dropped or evaluated a different number of times: no
 * aggregate or volatile call, subquery or parameter inside. */
static bool removable(uf_node *n) {
  return n == NULL || removable_rec(n);
}

/* -- numbers --------------------------------------------------------------- */

/* An INTEGER literal (optionally under unary minus) with |v| < 2^31. */
static bool int_lit(const uf_node *n, long long *out) {
  bool neg = false;
  if (uf_is(n, UF_UNARY) && strcmp(n->text, "-") == 0) {
    neg = true;
    n = n->kids[0];
  }
  if (!uf_is(n, UF_NUMBER)) return false;
  const char *p = n->text;
  size_t len = strlen(p);
  if (len == 0 || len > 10) return false;
  if (len > 1 && p[0] == '0') return false; /* 0x.., 0b.., 007 */
  long long v = 0;
  for (; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (*p - '0');
  }
  if (v > 2147483647LL) return false;
  *out = neg ? -v : v;
  return true;
}

static bool fits_int(long long v) { return v >= -2147483647LL && v <= 2147483647LL; }

static uf_node *mk_int(simp *s, long long v) {
  char buf[32];
  long long a = v < 0 ? -v : v;
  int k = 0;
  char tmp[32];
  do { tmp[k++] = (char)('0' + a % 10); a /= 10; } while (a);
  for (int i = 0; i < k; i++) buf[i] = tmp[k - 1 - i];
  buf[k] = 0;
  uf_node *num = mk(s, UF_NUMBER, buf);
  if (v >= 0 || num == NULL) return num;
  uf_node *u = mk(s, UF_UNARY, "-");
  if (u) u->kids[0] = num;
  return u;
}

/* An exact decimal literal: sign, digits without leading zeros, fraction
 * digits without trailing zeros. No exponent, no separators. */
typedef struct dec {
  bool neg;
  const char *ip; size_t il;
  const char *fp; size_t fl;
} dec;

static bool dec_lit(const uf_node *n, dec *d) {
  memset(d, 0, sizeof *d);
  if (uf_is(n, UF_UNARY) && strcmp(n->text, "-") == 0) {
    d->neg = true;
    n = n->kids[0];
  }
  if (!uf_is(n, UF_NUMBER)) return false;
  const char *p = n->text;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X' || p[1] == 'b' || p[1] == 'B')) return false;
  const char *dot = strchr(p, '.');
  for (const char *c = p; *c; c++)
    if ((*c < '0' || *c > '9') && c != dot) return false;
  /* Beyond 18 digits DuckDB may type the literal DOUBLE (inexact). */
  if (strlen(p) > (dot ? 19u : 18u) || *p == 0) return false;
  d->ip = p;
  d->il = dot ? (size_t)(dot - p) : strlen(p);
  while (d->il && *d->ip == '0') d->ip++, d->il--;
  d->fp = dot ? dot + 1 : "";
  d->fl = strlen(d->fp);
  while (d->fl && d->fp[d->fl - 1] == '0') d->fl--;
  if (d->il == 0 && d->fl == 0) d->neg = false; /* -0 = 0 */
  return true;
}

static int dec_cmp_abs(const dec *a, const dec *b) {
  if (a->il != b->il) return a->il < b->il ? -1 : 1;
  int c = memcmp(a->ip, b->ip, a->il);
  if (c) return c < 0 ? -1 : 1;
  size_t m = a->fl > b->fl ? a->fl : b->fl;
  for (size_t i = 0; i < m; i++) {
    char x = i < a->fl ? a->fp[i] : '0', y = i < b->fl ? b->fp[i] : '0';
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

static int dec_cmp(const dec *a, const dec *b) {
  if (a->neg != b->neg) return a->neg ? -1 : 1;
  int c = dec_cmp_abs(a, b);
  return a->neg ? -c : c;
}

static bool cmp_result(const char *op, int c) {
  if (!strcmp(op, "=")) return c == 0;
  if (!strcmp(op, "<>")) return c != 0;
  if (!strcmp(op, "<")) return c < 0;
  if (!strcmp(op, ">")) return c > 0;
  if (!strcmp(op, "<=")) return c <= 0;
  return c >= 0;
}

/* -- exact decimal sums in comparisons -------------------------------------- */

static bool numeric_type(const uf_type *t) {
  return t && t->id >= UF_T_TINYINT && t->id <= UF_T_DECIMAL;
}

static bool written_with_dot(const uf_node *n) {
  if (uf_is(n, UF_UNARY)) n = n->kids[0];
  return uf_is(n, UF_NUMBER) && strchr(n->text, '.') != NULL;
}

/* d * 10^scale as an integer; false when it could leave 18 digits. */
static bool dec_scaled(const dec *d, size_t scale, long long *out) {
  if (d->fl > scale || d->il + scale > 18) return false;
  long long v = 0;
  for (size_t i = 0; i < d->il; i++) v = v * 10 + (d->ip[i] - '0');
  for (size_t i = 0; i < scale; i++) v = v * 10 + (i < d->fl ? d->fp[i] - '0' : 0);
  *out = d->neg ? -v : v;
  return true;
}

/* v / 10^scale as a literal with at least one fraction digit (a DECIMAL). */
static uf_node *mk_dec(simp *s, long long v, size_t scale) {
  char digits[32], buf[48];
  unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  size_t k = 0;
  do { digits[k++] = (char)('0' + a % 10); a /= 10; } while (a);
  while (k <= scale) digits[k++] = '0'; /* a digit before the point */
  size_t w = 0;
  for (size_t i = k; i-- > 0;) {
    buf[w++] = digits[i];
    if (i == scale && scale) buf[w++] = '.';
  }
  if (scale == 0) buf[w++] = '.', buf[w++] = '0';
  buf[w] = 0;
  uf_node *num = mk(s, UF_NUMBER, buf);
  if (v >= 0 || num == NULL) return num;
  uf_node *u = mk(s, UF_UNARY, "-");
  if (u) u->kids[0] = num;
  return u;
}

/* a + b, a - b of exact literals, one written with a fraction: DuckDB
 * computes it exactly as a DECIMAL one digit wider than the literal that
 * replaces it. Folded only where the value alone matters: compared with a
 * numeric operand (a VARCHAR one would be cast to the width, which could
 * fail differently). */
static uf_node *fold_dec_sum(simp *s, uf_node *e) {
  if (!uf_is(e, UF_BINARY) || (strcmp(e->text, "+") && strcmp(e->text, "-"))) return e;
  dec a, b;
  uf_node *l = e->kids[0], *r = e->kids[1];
  if (!dec_lit(l, &a) || !dec_lit(r, &b) || !(written_with_dot(l) || written_with_dot(r)))
    return e;
  size_t scale = a.fl > b.fl ? a.fl : b.fl;
  long long x, y;
  if (!dec_scaled(&a, scale, &x) || !dec_scaled(&b, scale, &y)) return e;
  uf_node *f = mk_dec(s, e->text[0] == '+' ? x + y : x - y, scale);
  return f ? f : e;
}

/* -- date literal arithmetic in comparisons ---------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), and back. */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long long)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(long long y, unsigned m) {
  static const unsigned D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : D[m - 1];
}

/* CAST('YYYY-MM-DD' AS DATE): the date, exactly that spelling. */
static bool date_lit(const uf_node *n, long long *y, unsigned *m, unsigned *d) {
  if (!uf_is(n, UF_CAST) || (n->flags & UF_F_TRY)) return false;
  const uf_node *v = n->kids[0], *t = n->kids[1];
  if (!uf_is(v, UF_STRING) || !uf_is(t, UF_TYPE) || strcmp(t->text, "DATE") || (t->nkids && t->kids[0]))
    return false;
  const char *p = v->text;
  if (strlen(p) != 10 || p[4] != '-' || p[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9')) return false;
  *y = atoll(p);
  *m = (unsigned)atoi(p + 5);
  *d = (unsigned)atoi(p + 8);
  return *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

/* INTERVAL n UNIT / INTERVAL 'n' UNIT with UNIT a day, week, month,
 * quarter or year (singular or plural): as days or months. */
static bool interval_lit(const uf_node *n, long long *days, long long *months) {
  if (!uf_is(n, UF_INTERVAL)) return false;
  const uf_node *v = n->kids[0], *u = n->kids[1];
  if (!(uf_is(v, UF_NUMBER) || uf_is(v, UF_STRING)) || u == NULL || !u->text[0]) return false;
  const char *p = v->text;
  bool neg = *p == '-';
  if (neg) p++;
  if (*p == 0 || strlen(p) > 6) return false;
  long long k = 0;
  for (; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    k = k * 10 + (*p - '0');
  }
  if (neg) k = -k;
  static const struct { const char *unit; int days, months; } U[] = {
      {"DAY", 1, 0}, {"DAYS", 1, 0}, {"WEEK", 7, 0}, {"WEEKS", 7, 0},
      {"MONTH", 0, 1}, {"MONTHS", 0, 1}, {"QUARTER", 0, 3}, {"QUARTERS", 0, 3},
      {"YEAR", 0, 12}, {"YEARS", 0, 12}};
  for (size_t i = 0; i < sizeof U / sizeof *U; i++)
    if (strcasecmp(u->text, U[i].unit) == 0) {
      *days = k * U[i].days;
      *months = k * U[i].months;
      return true;
    }
  return false;
}

static bool temporal_type(const uf_type *t) {
  return t && (t->id == UF_T_DATE || t->id == UF_T_TIMESTAMP);
}

/* v as exactly w decimal digits, zero-padded (no snprintf in the fold). */
static void put_digits(char *out, unsigned v, int w) {
  for (int i = w; i-- > 0; v /= 10) out[i] = (char)('0' + v % 10);
}

/* DATE 'd' +/- INTERVAL (or INTERVAL + DATE 'd'), compared with a DATE or
 * TIMESTAMP operand: DuckDB computes the TIMESTAMP at midnight of the
 * shifted day (months added clamp to the month's last day, as DuckDB
 * does), and the DATE literal of that day compares the same. */
static uf_node *fold_date_shift(simp *s, uf_node *e) {
  if (!uf_is(e, UF_BINARY) || (strcmp(e->text, "+") && strcmp(e->text, "-"))) return e;
  uf_node *dl = e->kids[0], *il = e->kids[1];
  if (e->text[0] == '+' && uf_is(dl, UF_INTERVAL)) dl = e->kids[1], il = e->kids[0];
  long long y, days, months;
  unsigned m, d;
  if (!date_lit(dl, &y, &m, &d) || !interval_lit(il, &days, &months)) return e;
  if (e->text[0] == '-') days = -days, months = -months;
  long long mm = y * 12 + (m - 1) + months;
  y = mm >= 0 ? mm / 12 : -((-mm + 11) / 12);
  m = (unsigned)(mm - y * 12) + 1;
  if (y < 1 || y > 9999) return e;
  if (d > days_in_month(y, m)) d = days_in_month(y, m);
  long long z = days_from_civil(y, m, d) + days;
  civil_from_days(z, &y, &m, &d);
  if (y < 1 || y > 9999) return e;
  char buf[11]; /* YYYY-MM-DD: y, m and d are in range here */
  put_digits(buf, (unsigned)y, 4);
  buf[4] = '-';
  put_digits(buf + 5, m, 2);
  buf[7] = '-';
  put_digits(buf + 8, d, 2);
  buf[10] = 0;
  uf_node *c = mk(s, UF_CAST, NULL), *str = mk(s, UF_STRING, buf), *ty = mk(s, UF_TYPE, "DATE");
  if (!c || !str || !ty) return e;
  c->kids[0] = str;
  c->kids[1] = ty;
  return c;
}

/* -- rules ------------------------------------------------------------------- */

/* CAST(NULL AS BOOLEAN): a NULL of the comparison's type. */
static uf_node *null_bool(simp *s) {
  uf_node *c = mk(s, UF_CAST, NULL), *nul = mk(s, UF_NULL, NULL), *ty = mk(s, UF_TYPE, "BOOLEAN");
  if (!c || !nul || !ty) return NULL;
  c->kids[0] = nul;
  c->kids[1] = ty;
  return c;
}

static uf_node *fold_binary(simp *s, uf_node *n) {
  uf_node *l = n->kids[0], *r = n->kids[1];
  if (!l || !r) return n;
  const char *op = n->text;
  if (uf_rw_is_cmp_op(op)) {
    /* each operand's type looked up again only when a fold replaced it */
    const uf_type *tl = type_of(s, l), *tr = type_of(s, r);
    if (numeric_type(tr) && (n->kids[0] = fold_dec_sum(s, l)) != l) tl = type_of(s, l = n->kids[0]);
    if (numeric_type(tl) && (n->kids[1] = fold_dec_sum(s, r)) != r) tr = type_of(s, r = n->kids[1]);
    if (temporal_type(tr) && (n->kids[0] = fold_date_shift(s, l)) != l) tl = type_of(s, l = n->kids[0]);
    if (temporal_type(tl)) r = n->kids[1] = fold_date_shift(s, r);
    dec a, b;
    if (dec_lit(l, &a) && dec_lit(r, &b)) return mk_bool(s, cmp_result(op, dec_cmp(&a, &b)));
    if (uf_is(l, UF_STRING) && uf_is(r, UF_STRING) && (!strcmp(op, "=") || !strcmp(op, "<>")))
      return mk_bool(s, (strcmp(l->text, r->text) == 0) == (op[0] == '='));
    if ((uf_is(l, UF_NULL) && removable(r)) || (uf_is(r, UF_NULL) && removable(l)))
      return null_bool(s);
    return n;
  }
  long long x, y, v;
  if (!int_lit(l, &x) || !int_lit(r, &y)) return n;
  if (!strcmp(op, "+")) v = x + y;
  else if (!strcmp(op, "-")) v = x - y;
  else if (!strcmp(op, "*")) v = x * y; /* |x|,|y| < 2^31: no int64 overflow */
  else if (!strcmp(op, "//") && x >= 0 && y > 0) v = x / y;
  else if (!strcmp(op, "%") && x >= 0 && y > 0) v = x % y;
  else return n;
  return fits_int(v) ? mk_int(s, v) : n;
}

/* CAST(NULL AS BOOLEAN) */
static bool is_null_bool(const uf_node *x) {
  return uf_is(x, UF_CAST) && !(x->flags & UF_F_TRY) && uf_is(x->kids[0], UF_NULL) &&
         uf_is(x->kids[1], UF_TYPE) && strcmp(x->kids[1]->text, "BOOLEAN") == 0;
}

static uf_node *fold_not(simp *s, uf_node *n) {
  uf_node *x = n->kids[0];
  if (is_bool_lit(x, true)) return mk_bool(s, false);
  if (is_bool_lit(x, false)) return mk_bool(s, true);
  if (uf_is(x, UF_NOT) && boolish(s, x->kids[0])) return x->kids[0];
  if (uf_is(x, UF_NULL)) return as_boolean(s, x); /* NOT NULL: a BOOLEAN NULL */
  if (is_null_bool(x)) return x;                   /* NOT of it: itself */
  return n;
}

/* literal IS [NOT] NULL */
static uf_node *fold_is(simp *s, uf_node *n) {
  uf_node *l = n->kids[0], *r = n->kids[1];
  if (!uf_is(r, UF_NULL)) return n;
  bool not = (n->flags & UF_F_NOT) != 0;
  dec d;
  if (uf_is(l, UF_NULL)) return mk_bool(s, !not);
  if (uf_is(l, UF_STRING) || uf_is(l, UF_BOOLEAN) || dec_lit(l, &d)) return mk_bool(s, not);
  return n;
}

/* The operands of a chain of one connective (AND or OR), through
 * parentheses (the generator puts back the ones precedence needs). */
static size_t flatten(uf_node *n, uf_kind k, uf_node **out, size_t cap, size_t w) {
  n = uf_rw_unparen(n);
  if (uf_is(n, k) && n->kids[0] && n->kids[1]) {
    w = flatten(n->kids[0], k, out, cap, w);
    return flatten(n->kids[1], k, out, cap, w);
  }
  if (w < cap) out[w] = n;
  return w + 1;
}

static bool contains_equal(uf_node *chain, uf_kind k, const uf_node *x) {
  uf_node *items[64];
  size_t m = flatten(chain, k, items, 64, 0);
  if (m > 64) return false;
  for (size_t i = 0; i < m; i++)
    if (uf_node_equal(items[i], x, false)) return true;
  return false;
}

#define MAXCHAIN 256

/* x AND TRUE: x as a BOOLEAN (DuckDB casts an AND operand), the one
 * spelling of a chain reduced to a single operand that is not boolean. */
static uf_node *as_boolean(simp *s, uf_node *x) {
  /* a NULL literal: the boolean NULL is CAST(NULL AS BOOLEAN), which
   * normalize has no connector to distribute */
  if (uf_is(x, UF_NULL) && x->comments == NULL) return null_bool(s);
  uf_node *t = mk_bool(s, true), *j = mk(s, UF_AND, NULL);
  if (!t || !j) return NULL;
  j->kids[0] = x;
  j->kids[1] = t;
  return j;
}

/* An integer literal operand of AND/OR is its boolean value (CAST(0 AS
 * BOOLEAN) is FALSE, any other integer TRUE). */
static uf_node *literal_truth(simp *s, uf_node *x) {
  long long v;
  return int_lit(x, &v) ? mk_bool(s, v != 0) : x;
}

/* The chain is left-deep without parentheses (AND/OR associate, also
 * under Kleene logic): a AND (b AND c) is spelled a AND b AND c. */
static bool left_deep(uf_node *n, uf_kind k) {
  for (; uf_is(n, k); n = n->kids[0])
    if (uf_is(n->kids[1], k) || uf_is(n->kids[1], UF_PAREN) || uf_is(n->kids[0], UF_PAREN))
      return false;
  return true;
}

/* AND/OR chains under Kleene logic. unit: TRUE for AND (dropped), zero:
 * FALSE for AND (absorbs everything removable). */
static uf_node *fold_chain(simp *s, uf_node *n) {
  uf_kind k = (uf_kind)n->kind, dual = k == UF_AND ? UF_OR : UF_AND;
  bool unit = k == UF_AND;
  uf_node *items[MAXCHAIN];
  size_t m = flatten(n, k, items, MAXCHAIN, 0);
  if (m > MAXCHAIN || m < 2) return n;
  bool changed = !left_deep(n, k);
  for (size_t i = 0; i < m; i++) {
    uf_node *x = literal_truth(s, items[i]);
    if (x == NULL) return n;
    changed |= x != items[i];
    items[i] = x;
  }
  /* Zero absorbs removable BOOLEAN operands (NULL AND FALSE is FALSE);
   * a non-boolean one could raise a conversion error, so it stays. */
  bool any_zero = false;
  for (size_t i = 0; i < m && !any_zero; i++) any_zero = is_bool_lit(items[i], !unit);
  if (any_zero) { /* the operand walks only then: most chains hold no zero */
    bool all_removable = true;
    for (size_t i = 0; i < m && all_removable; i++) {
      uf_node *x = items[i];
      all_removable = removable(x) && (boolish(s, x) || uf_is(x, UF_NULL));
    }
    if (all_removable) return mk_bool(s, !unit);
  }
  bool keep[MAXCHAIN];
  size_t kept = 0;
  for (size_t i = 0; i < m; i++) {
    keep[i] = true;
    uf_node *x = items[i];
    if (is_bool_lit(x, unit)) keep[i] = false;
    for (size_t j = 0; keep[i] && j < i; j++)
      if (keep[j] && uf_node_equal(items[j], x, false) && removable(x)) keep[i] = false;
    kept += keep[i];
  }
  /* absorption: x AND (x OR y) -> x; x OR (x AND y) -> x */
  for (size_t i = 0; i < m; i++) {
    if (!keep[i] || !uf_is(items[i], dual) || !removable(items[i])) continue;
    for (size_t j = 0; j < m; j++)
      if (j != i && keep[j] && !uf_is(items[j], dual) && contains_equal(items[i], dual, items[j])) {
        keep[i] = false;
        kept--;
        break;
      }
  }
  if (kept == m && !changed) return n;
  if (kept == 0) return mk_bool(s, unit); /* TRUE AND TRUE */
  uf_node *acc = NULL;
  for (size_t i = 0; i < m; i++) {
    if (!keep[i]) continue;
    if (acc == NULL) { acc = items[i]; continue; }
    uf_node *j = mk(s, k, NULL);
    if (j == NULL) return n;
    j->kids[0] = acc;
    j->kids[1] = items[i];
    acc = j;
  }
  /* One operand left: the chain was BOOLEAN, so the operand must be too. */
  if (kept == 1 && !boolish(s, acc)) {
    if (is_bool_lit(acc, true) || is_bool_lit(acc, false)) return acc;
    /* already x AND TRUE: unchanged (the rewrite is idempotent) */
    if (m == 2 && k == UF_AND && !changed && is_bool_lit(items[1], true)) return n;
    return as_boolean(s, acc);
  }
  return acc;
}

static bool same_type(simp *s, const uf_node *a, const uf_node *b) {
  const uf_type *x = type_of(s, a), *y = type_of(s, b);
  return x && y && x->id != UF_T_UNKNOWN && x->id != UF_T_NULL && uf_type_equal(x, y);
}

/* CASE WHEN c1 THEN r1 ... [ELSE e] END with constant leading conditions:
 * FALSE/NULL ones skipped, a TRUE one chosen; folded only to a whole
 * branch of the CASE's own type, with everything dropped removable. */
static uf_node *fold_case(simp *s, uf_node *n) {
  uf_node *whens = uf_get(n, UF_SLOT_WHENS), *els = uf_get(n, UF_SLOT_ELSE);
  if (uf_get(n, UF_SLOT_OPERAND) || whens == NULL) return n;
  uf_node *pick = NULL;
  size_t i = 0;
  for (; i < whens->nkids; i++) {
    uf_node *c = uf_get(whens->kids[i], UF_SLOT_COND);
    if (is_bool_lit(c, false) || uf_is(c, UF_NULL)) continue;
    if (is_bool_lit(c, true)) pick = uf_get(whens->kids[i], UF_SLOT_THEN);
    break;
  }
  if (i == whens->nkids) pick = els;
  if (pick == NULL) return n;
  /* everything but the chosen branch goes */
  for (size_t j = 0; j < whens->nkids; j++) {
    uf_node *th = uf_get(whens->kids[j], UF_SLOT_THEN);
    if (th != pick && !removable(th)) return n;
  }
  if (els != pick && !removable(els)) return n;
  return same_type(s, n, pick) ? pick : n;
}

static bool nonnull_literal(const uf_node *n) {
  dec d;
  return uf_is(n, UF_STRING) || uf_is(n, UF_BOOLEAN) || dec_lit(n, &d);
}

/* COALESCE(<non-null literal>, ...) -> the literal, if of the same type. */
static uf_node *fold_coalesce(simp *s, uf_node *n) {
  uf_node *args = uf_get(n, UF_SLOT_ARGS);
  if (strcasecmp(n->text, "coalesce") != 0 || uf_get(n, UF_SLOT_DB) || !args || args->nkids == 0 ||
      uf_get(n, UF_SLOT_OVER) || uf_get(n, UF_SLOT_FILTER) || uf_get(n, UF_SLOT_ORDER) ||
      !nonnull_literal(args->kids[0]))
    return n;
  for (size_t i = 1; i < args->nkids; i++)
    if (!removable(args->kids[i])) return n;
  return same_type(s, n, args->kids[0]) ? args->kids[0] : n;
}

static uf_node *simp_node(uf_node *n, void *vctx, uf_status *st) {
  simp *s = vctx;
  uf_node *r = n;
  switch ((uf_kind)n->kind) {
  case UF_BINARY: r = fold_binary(s, n); break;
  case UF_NOT: r = fold_not(s, n); break;
  case UF_IS: r = fold_is(s, n); break;
  case UF_BETWEEN: /* the bounds are compared with the operand */
    if (numeric_type(type_of(s, n->kids[0]))) {
      n->kids[1] = fold_dec_sum(s, n->kids[1]);
      n->kids[2] = fold_dec_sum(s, n->kids[2]);
    }
    if (temporal_type(type_of(s, n->kids[0]))) {
      n->kids[1] = fold_date_shift(s, n->kids[1]);
      n->kids[2] = fold_date_shift(s, n->kids[2]);
    }
    break;
  case UF_AND: case UF_OR: r = fold_chain(s, n); break;
  case UF_CASE: r = fold_case(s, n); break;
  case UF_FUNC: r = fold_coalesce(s, n); break;
  case UF_PAREN: { /* (literal) */
    uf_node *x = n->kids[0];
    if (x && uf_kind_category((uf_kind)x->kind) == UF_CAT_ATOM && !uf_is(x, UF_PARAM)) r = x;
    break;
  }
  case UF_SELECT: {
    int w = uf_kind_slot_index(UF_SELECT, UF_SLOT_WHERE);
    if (w >= 0 && is_bool_lit(n->kids[w], true) && n->kids[w]->comments == NULL)
      n->kids[w] = NULL;
    break;
  }
  default: break;
  }
  /* a fold may complete a literal list (x = 1 OR x = 1 + 1) */
  if (uf_is(r, UF_OR) || uf_is(r, UF_AND) || uf_is(r, UF_IN) || uf_is(r, UF_FUNC))
    r = uf_respell(s->t, s->ts, s->sort, r, &s->st);
  if (s->st != UF_OK) {
    *st = s->st;
    return n;
  }
  if (r && r != n && r->comments == NULL) r->comments = n->comments;
  return replaced(s, n, r);
}

uf_status uf_simplify(uf_tree *t, uf_node *root, const uf_rewrite_options *o,
                      uf_node **out_root, uf_error *err) {
  simp s;
  memset(&s, 0, sizeof s);
  s.t = t;
  s.sort = o && o->sort_commutative;
  /* Types decide the rewrites that could change one; without them those
   * are skipped (a failed annotation is not an error here). */
  s.ts = o ? o->types : NULL;
  if (s.ts == NULL) {
    uf_annotate_options ao = {o ? o->dialect : NULL, o ? o->functions : NULL};
    uf_error ignored;
    if (uf_annotate_types(root, o ? o->schema : NULL, &ao, &s.own, &ignored) != UF_OK)
      s.own = NULL;
    s.ts = s.own;
  }
  uf_node *r = NULL;
  uf_status st = uf_rw_transform(root, simp_node, &s, &r, err);
  uf_types_free(s.own);
  free(s.extra);
  if (st != UF_OK) return st;
  *out_root = r;
  return UF_OK;
}
