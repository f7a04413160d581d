// Number parsing and printf-style formatting for the shipped wasm. musl's
// strtod and printf carry 128-bit long double arithmetic (software floating
// point, ~9 KB brotli of kelisim.wasm) that nothing in kelisim needs: the only
// caller is kelisim's JSON reader (strtod, for a number with a fraction or an
// exponent); snprintf is kept in musl's place for whatever else links it.
// wasm/lean_libc.cpp puts these two in the place of strtod/strtof/strtold
// and snprintf/vsnprintf when linking kelisim.wasm; here they are plain
// functions, tested natively and in wasm32 like the rest of the core.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace kelisim {

/// strtod for decimal numbers ([+-]digits[.digits][(e|E)[+-]digits]): no
/// hexadecimal, inf or nan (JSON has none). Correctly rounded when the
/// significant digits fit 2^53 and the decimal exponent is within ±22 (every
/// number a configuration or request holds); otherwise within a few units in
/// the last place. Overflow gives ±inf, underflow ±0. `end` as strtod's.
double parse_decimal(const char* text, char** end);

/// vsnprintf for the integer, character and string conversions (d i u o x X
/// c s p %, flags - + space # 0, width and precision, also `*`, length
/// modifiers hh h l ll j z t). A floating-point conversion writes its
/// argument as "%g"-style text with at most 17 significant digits.
int format_text(char* out, std::size_t size, const char* format, std::va_list args);

}  // namespace kelisim
