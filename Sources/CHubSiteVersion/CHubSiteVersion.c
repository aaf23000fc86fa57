#include "CHubSiteVersion.h"

#ifndef HUBSITE_COMMIT
#define HUBSITE_COMMIT ""
#endif

const char *hubsite_version(void) { return HUBSITE_VERSION; }

const char *hubsite_commit(void) { return HUBSITE_COMMIT; }
