#include "core/clock.h"

namespace image_resize::core {

namespace {
// `value` as `width` decimal digits, zero-padded, at `out`.
void put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}
}  // namespace

// By hand rather than gmtime_r + snprintf: every log line and status body prints times, and
// snprintf's format parsing was most of their cost.
std::string format_iso8601(TimePoint t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss clock{floor<milliseconds>(t - day)};
  std::string text = "0000-00-00T00:00:00.000Z";
  put_digits(text.data(), static_cast<unsigned>(static_cast<int>(date.year())), 4);
  put_digits(text.data() + 5, static_cast<unsigned>(date.month()), 2);
  put_digits(text.data() + 8, static_cast<unsigned>(date.day()), 2);
  put_digits(text.data() + 11, static_cast<unsigned>(clock.hours().count()), 2);
  put_digits(text.data() + 14, static_cast<unsigned>(clock.minutes().count()), 2);
  put_digits(text.data() + 17, static_cast<unsigned>(clock.seconds().count()), 2);
  put_digits(text.data() + 20, static_cast<unsigned>(clock.subseconds().count()), 3);
  return text;
}

}  // namespace image_resize::core
