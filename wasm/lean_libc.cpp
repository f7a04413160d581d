// Linked into kelisim.wasm and kelisim-scan.wasm only: kelisim's own strtod
// and snprintf (kelisim/lean_libc.hpp) in the place of musl's, whose long
// double arithmetic would otherwise come along, and memcpy, memmove and
// memset as bulk-memory instructions. The natively built core and
// its tests use the platform's.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "kelisim/lean_libc.hpp"

extern "C" {

double strtod(const char* text, char** end) { return kelisim::parse_decimal(text, end); }
// Defined too, so that musl's strtod.o (which holds all three) is never linked.
float strtof(const char* text, char** end) { return float(kelisim::parse_decimal(text, end)); }
long double strtold(const char* text, char** end) { return kelisim::parse_decimal(text, end); }

int vsnprintf(char* out, size_t size, const char* format, va_list args) { return kelisim::format_text(out, size, format, args); }

// Copies and fills in the place of the C library's, which at -Oz are loops
// (Emscripten's memcpy goes one byte at a time: 3.5 ms of a first page
// view's main thread in Chromium, in the engine's string copies). Built with
// -mbulk-memory, each is one memory.copy or memory.fill.
void* memcpy(void* dst, const void* src, size_t n) { return __builtin_memcpy(dst, src, n); }
void* memmove(void* dst, const void* src, size_t n) { return __builtin_memmove(dst, src, n); }
void* memset(void* dst, int c, size_t n) { return __builtin_memset(dst, c, n); }

int snprintf(char* out, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  int n = kelisim::format_text(out, size, format, args);
  va_end(args);
  return n;
}
}
