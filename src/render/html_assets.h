/*
 * The HTML report's style and script, built from html.css and html.js by
 * build-aux/embed.sh into html_assets.c: each a NULL-terminated list of
 * lines, written one after another. Static data; nothing to free.
 */
#ifndef SCRAM_HTML_ASSETS_H
#define SCRAM_HTML_ASSETS_H

#include <stddef.h>

extern const char *const html_style[];
extern const char *const html_script[];

#endif
