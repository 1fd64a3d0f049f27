/* assets.h — the web page's files, embedded in the binary at build time.
 *
 * cmake/embed_assets.cmake turns every file under web/ into a byte array in a
 * generated source; the table below is static, read-only and so thread-safe.
 * Paths are absolute URL paths ("/index.html", "/app.js"). Each asset's data
 * is followed by a NUL byte that len does not count.
 */
#ifndef CS_SERVER_ASSETS_H
#define CS_SERVER_ASSETS_H
#include <stddef.h>

typedef struct {
  const char *path;          /* "/index.html" */
  const char *mime;          /* Content-Type value */
  const unsigned char *data; /* len bytes, then a NUL */
  size_t len;
} cs_web_asset_t;

/* Ends with an entry whose path is NULL. */
extern const cs_web_asset_t cs__web_assets[];

/* The asset served at path, or NULL. "/" finds "/index.html". */
const cs_web_asset_t *cs__web_asset_find(const char *path);

#endif
