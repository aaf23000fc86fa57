#ifndef HUBSITE_CSYSTEM_H
#define HUBSITE_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (e.g. EINVAL where the
/// file system cannot exchange).
int hubsite_exchange_paths(const char *first, const char *second);

#endif
