#include "metrics/registry.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace image_resize::metrics {
namespace {

void add(std::atomic<double>& target, double amount) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + amount, std::memory_order_relaxed)) {
  }
}

std::string format_number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  // The shortest text that reads back as the same double: 0.1, not 0.10000000000000001.
  char text[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string escape(const std::string& text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string label_text(const Labels& labels,
                       const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && extra == nullptr) return "";
  std::string out = "{";
  bool first = true;
  auto append = [&](const std::string& name, const std::string& value) {
    if (!first) out.push_back(',');
    first = false;
    out += name + "=\"" + escape(value, true) + "\"";
  };
  for (const auto& [name, value] : labels) append(name, value);
  if (extra) append(extra->first, extra->second);
  out.push_back('}');
  return out;
}

}  // namespace

void Counter::inc(double amount) { add(value_, amount); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  std::size_t bucket = 0;
  while (bucket < upper_bounds_.size() && value > upper_bounds_[bucket]) ++bucket;
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  add(sum_, value);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snap;
  snap.upper_bounds = upper_bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    snap.cumulative_counts.push_back(running);
  }
  snap.count = running;
  snap.sum = sum_.load(std::memory_order_relaxed);
  return snap;
}

std::vector<double> duration_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Type type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::counter).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, std::vector<double> upper_bounds) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::histogram).histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(std::move(upper_bounds));
  return *slot;
}

void Registry::gauge(const std::string& name, const std::string& help, GaugeReader read) {
  std::lock_guard lock(mutex_);
  family(name, help, Type::gauge).gauge_reader = std::move(read);
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + escape(fam.help, false) + "\n";
    out += "# TYPE " + name + " " + kTypeNames[static_cast<int>(fam.type)] + "\n";
    for (const auto& [labels, counter] : fam.counters) {
      out += name + label_text(labels) + " " + format_number(counter->value()) + "\n";
    }
    if (fam.gauge_reader) {
      for (const auto& [labels, value] : fam.gauge_reader()) {
        out += name + label_text(labels) + " " + format_number(value) + "\n";
      }
    }
    for (const auto& [labels, histogram] : fam.histograms) {
      const auto snap = histogram->snapshot();
      for (std::size_t i = 0; i <= snap.upper_bounds.size(); ++i) {
        const std::pair<std::string, std::string> le{
            "le", i < snap.upper_bounds.size() ? format_number(snap.upper_bounds[i]) : "+Inf"};
        out += name + "_bucket" + label_text(labels, &le) + " " +
               std::to_string(snap.cumulative_counts[i]) + "\n";
      }
      out += name + "_sum" + label_text(labels) + " " + format_number(snap.sum) + "\n";
      out += name + "_count" + label_text(labels) + " " + std::to_string(snap.count) + "\n";
    }
  }
  return out;
}

}  // namespace image_resize::metrics
