#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, whose headers clash with the copy of ICU inside Swift's
   Foundation. Nothing here uses libxml2's ICU converters (their handler struct is never read
   from Swift), so their declarations are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
