/* assets.c — lookup in the embedded asset table (see assets.h). */
#include "server/assets.h"

#include <string.h>

const cs_web_asset_t *cs__web_asset_find(const char *path) {
  if (!path) return NULL;
  if (strcmp(path, "/") == 0) path = "/index.html";
  for (const cs_web_asset_t *a = cs__web_assets; a->path; a++)
    if (strcmp(a->path, path) == 0) return a;
  return NULL;
}
