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
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift cannot see ncurses' function-like macros and treats its globals as unsafe mutable
// state; these inline functions give them a plain, callable shape. Nothing here keeps state.

static inline WINDOW *kg_stdscr(void) { return stdscr; }
static inline int kg_lines(void) { return LINES; }
static inline int kg_cols(void) { return COLS; }
static inline int kg_colors(void) { return COLORS; }
static inline int kg_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t kg_a_normal(void) { return A_NORMAL; }
static inline attr_t kg_a_bold(void) { return A_BOLD; }
static inline attr_t kg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t kg_a_reverse(void) { return A_REVERSE; }
static inline attr_t kg_a_dim(void) { return A_DIM; }

static inline int kg_key_f(int n) { return KEY_F(n); }

static inline void kg_getmaxyx(WINDOW *win, int *rows, int *columns) {
    int y = 0, x = 0;
    getmaxyx(win, y, x);
    *rows = y;
    *columns = x;
}

/// Reads one key without the wint_t/wchar_t plumbing: returns OK (a character in *code),
/// KEY_CODE_YES (a KEY_* in *code) or ERR (nothing available).
static inline int kg_get_wch(WINDOW *win, unsigned int *code) {
    wint_t wch = 0;
    int status = wget_wch(win, &wch);
    *code = (unsigned int)wch;
    return status;
}

/// Draws one cell: `count` wide characters (a base and its combining marks, at most
/// CCHARW_MAX - 1 of them) with attributes and a color pair, at (y, x).
static inline int kg_put_cell(WINDOW *win, int y, int x, const wchar_t *text, int count,
                              attr_t attrs, short pair) {
    wchar_t buffer[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    if (n < 1) { buffer[0] = L' '; n = 1; }
    else { for (int i = 0; i < n; i++) buffer[i] = text[i]; }
    buffer[n] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, buffer, attrs, pair, NULL) == ERR) { return ERR; }
    return mvwadd_wch(win, y, x, &cell);
}

/// Columns the C library (and so ncurses, which moves its cursor by it) gives a character.
static inline int kg_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

/// True when the terminal curses set up can move its cursor (terminfo `cup`): without it
/// (TERM=dumb) nothing can be drawn, only scrolled.
static inline int kg_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// True when the current LC_CTYPE encodes text as UTF-8.
static inline int kg_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) { return 0; }
    return (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't')
        && (codeset[2] == 'F' || codeset[2] == 'f');
}
#endif
