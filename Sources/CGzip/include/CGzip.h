#ifndef HUBSITE_CGZIP_H
#define HUBSITE_CGZIP_H

#include <stddef.h>

/// Inflates a gzip member into `out` (capacity `capacity`). Returns the length, or -1 when the
/// input is not gzip or does not fit.
long hubsite_gunzip(const unsigned char *in, size_t length, unsigned char *out, size_t capacity);

/// Deflates `in` as gzip (level 9, no name, time 0: the same bytes every time) into `out`.
/// Returns the length, or -1 when it does not fit.
long hubsite_gzip(const unsigned char *in, size_t length, unsigned char *out, size_t capacity);

#endif
