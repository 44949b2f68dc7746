#ifndef KGATE_CNCURSESW_SHIM_H
#define KGATE_CNCURSESW_SHIM_H
#define _DEFAULT_SOURCE 1
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 600
#endif
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift cannot see ncurses' macros and treats its globals as unsafe mutable state;
// these inline functions give them a plain, callable shape.
static inline WINDOW *kg_stdscr(void) { return stdscr; }
static inline int kg_lines(void) { return LINES; }
static inline int kg_cols(void) { return COLS; }
#endif
