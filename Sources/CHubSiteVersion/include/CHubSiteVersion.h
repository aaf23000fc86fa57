#ifndef CHUBSITEVERSION_H
#define CHUBSITEVERSION_H

/// hubsite's version: written here and nowhere else (scripts/package reads it).
#define HUBSITE_VERSION "0.9.0"

/// "0.9.0"
const char *hubsite_version(void);

/// The commit the program was built from, as scripts/package passes it
/// (-Xcc -DHUBSITE_COMMIT="..."); "" for an ordinary `swift build`, so that
/// everyday builds do not depend on the state of the git checkout.
const char *hubsite_commit(void);

#endif
