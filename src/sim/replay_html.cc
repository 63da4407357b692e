// The replay report as one self-contained HTML page: inline CSS and SVG, no script, nothing
// fetched when it is viewed.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "sim/replay_report.h"

namespace karpenter::sim {
namespace {

constexpr int kWidth = 900, kHeight = 220;
constexpr int kLeft = 60, kRight = 20, kTop = 10, kBottom = 30;

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Series {
  std::string name;
  std::string color;
  std::vector<double> values;  // one per sample
};

// A round step for four gridlines covering `max`: 1, 2 or 5 times a power of ten (whole
// numbers only, for counts).
double NiceStep(double max, bool whole) {
  const double raw = std::max(max, 1e-9) / 4;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double factor : {1.0, 2.0, 5.0}) {
    if (magnitude * factor >= raw) {
      step = magnitude * factor;
      break;
    }
  }
  return whole ? std::max(1.0, std::ceil(step)) : step;
}

// The sampled value holds until the next sample: charts are step functions.
class Chart {
 public:
  Chart(const std::vector<double>& xs, double x_max, double y_max)
      : xs_(xs), x_max_(std::max(x_max, 1.0)), y_max_(y_max > 0 ? y_max : 1.0) {}

  double X(double seconds) const { return kLeft + (kWidth - kLeft - kRight) * seconds / x_max_; }
  double Y(double value) const { return kTop + (kHeight - kTop - kBottom) * (1 - value / y_max_); }

  // The outline of `upper` over the samples, as "x,y" points of a step function.
  std::string Steps(const std::vector<double>& upper) const {
    std::string points;
    for (size_t i = 0; i < xs_.size(); ++i) {
      const double next = i + 1 < xs_.size() ? xs_[i + 1] : x_max_;
      points +=
          fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", X(xs_[i]), Y(upper[i]), X(next), Y(upper[i]));
    }
    return points;
  }

  // Four gridlines at a round step (y_max is a multiple of it), and time ticks at a round
  // interval, at most eight.
  std::string Axes(const std::string& unit, double y_step) const {
    const int decimals = y_step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(y_step)));
    std::string svg;
    for (double value = 0; value <= y_max_ + y_step / 2; value += y_step) {
      svg += fmt::format(
          "<line x1='{}' x2='{}' y1='{:.1f}' y2='{:.1f}' class='grid'/>"
          "<text x='{}' y='{:.1f}' class='ylabel'>{}{:.{}f}</text>",
          kLeft, kWidth - kRight, Y(value), Y(value), kLeft - 6, Y(value) + 4, unit, value,
          decimals);
    }
    static constexpr int kTicks[] = {60,   120,   300,   600,   900,   1800,   3600,
                                     7200, 10800, 21600, 43200, 86400, 172800, 604800};
    double tick = kTicks[std::size(kTicks) - 1];
    for (int candidate : kTicks) {
      if (x_max_ / candidate <= 8) {
        tick = candidate;
        break;
      }
    }
    for (double seconds = 0; seconds <= x_max_ + 0.5; seconds += tick) {
      svg += fmt::format(
          "<text x='{:.1f}' y='{}' class='xlabel'>{}</text>", X(seconds), kHeight - 8,
          FormatOffset(
              std::chrono::duration_cast<core::Duration>(std::chrono::duration<double>(seconds))));
    }
    return svg;
  }

 private:
  const std::vector<double>& xs_;
  double x_max_, y_max_;
};

std::string Legend(const std::vector<Series>& series) {
  std::string html = "<div class='legend'>";
  for (const Series& s : series) {
    html += fmt::format("<span><i style='background:{}'></i>{}</span>", s.color, Escape(s.name));
  }
  return html + "</div>";
}

// Stacked areas (each series on top of the ones before) or plain lines.
std::string Plot(const std::string& title, const std::vector<double>& xs, double x_max,
                 const std::vector<Series>& series, bool stacked, const std::string& unit,
                 bool whole) {
  std::vector<std::vector<double>> tops;
  std::vector<double> base(xs.size(), 0.0);
  double y_max = 0;
  for (const Series& s : series) {
    std::vector<double> top = s.values;
    if (stacked) {
      for (size_t i = 0; i < top.size(); ++i) top[i] += base[i];
    }
    for (double v : top) y_max = std::max(y_max, v);
    tops.push_back(top);
    if (stacked) base = top;
  }
  const double y_step = NiceStep(y_max, whole);
  y_max = y_step * 4;  // the step is at least a quarter of the largest value
  Chart chart(xs, x_max, y_max);
  std::string svg = fmt::format(
      "<h2>{}</h2>{}<svg viewBox='0 0 {} {}' width='{}' height='{}' role='img'>{}", Escape(title),
      Legend(series), kWidth, kHeight, kWidth, kHeight, chart.Axes(unit, y_step));
  std::vector<double> below(xs.size(), 0.0);
  for (size_t k = 0; k < series.size(); ++k) {
    if (stacked) {
      // The area between the previous top and this one: this top left to right, then the
      // previous top right to left.
      std::string lower;
      for (size_t i = xs.size(); i-- > 0;) {
        const double next = i + 1 < xs.size() ? xs[i + 1] : x_max;
        lower += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", chart.X(next), chart.Y(below[i]),
                             chart.X(xs[i]), chart.Y(below[i]));
      }
      svg += fmt::format("<polygon points='{}{}' fill='{}' fill-opacity='0.75'/>",
                         chart.Steps(tops[k]), lower, series[k].color);
      below = tops[k];
    } else {
      svg += fmt::format("<polyline points='{}' fill='none' stroke='{}' stroke-width='2'/>",
                         chart.Steps(tops[k]), series[k].color);
    }
  }
  return svg + "</svg>";
}

std::string Color(const std::string& capacity_type) {
  if (capacity_type == "spot") return "#2ca02c";
  if (capacity_type == "on-demand") return "#1f77b4";
  if (capacity_type == "reserved") return "#9467bd";
  return "#7f7f7f";
}

std::string SummaryRows(const ReplayReport& report) {
  const ReplaySummary& s = report.summary;
  auto seconds = [](const std::optional<double>& v) {
    return v ? FormatOffset(
                   std::chrono::duration_cast<core::Duration>(std::chrono::duration<double>(*v)))
             : std::string("-");
  };
  std::vector<std::pair<std::string, std::string>> rows = {
      {"total cost", fmt::format("${:.4f}", s.total_cost)},
      {"node-hours", fmt::format("{:.2f}", s.node_hours)},
      {"NodeClaims created",
       fmt::format("{} ({} instances launched)", s.nodes_launched, s.instances_launched)},
      {"pod pending time",
       fmt::format("p50 {}, p99 {}, max {} ({} started, {} still pending)",
                   seconds(s.pending.p50_seconds), seconds(s.pending.p99_seconds),
                   seconds(s.pending.max_seconds), s.pending.started, s.pending.still_pending)},
      {"pods disrupted", fmt::format("{} evicted, {} preempted", s.evictions, s.preemptions)},
      {"interruptions", std::to_string(s.interruptions)},
      {"expectations",
       fmt::format("{} passed, {} failed", s.expectations_passed, s.expectations_failed)},
      {"invariants", report.invariants_checked
                         ? fmt::format("{} violation(s)", s.invariant_violations)
                         : std::string("not checked")},
  };
  for (const auto& [key, count] : s.disruptions) {
    rows.emplace_back("disruptions: " + key, std::to_string(count));
  }
  std::string html;
  for (const auto& [key, value] : rows) {
    html += fmt::format("<tr><th>{}</th><td>{}</td></tr>", Escape(key), Escape(value));
  }
  return html;
}

}  // namespace

std::string ReportToHtml(const ReplayReport& report) {
  std::vector<double> xs;
  std::set<std::string> capacity_types;
  for (const TimelineSample& s : report.timeline) {
    xs.push_back(std::chrono::duration<double>(s.at).count());
    for (const auto& [type, count] : s.nodes_by_capacity_type) capacity_types.insert(type);
  }
  std::vector<Series> nodes;
  for (const std::string& type : capacity_types) {
    Series series{type, Color(type), {}};
    for (const TimelineSample& s : report.timeline) {
      auto it = s.nodes_by_capacity_type.find(type);
      series.values.push_back(it == s.nodes_by_capacity_type.end() ? 0 : it->second);
    }
    nodes.push_back(std::move(series));
  }
  Series cost{"$/hour", "#d62728", {}}, pending{"pending pods", "#ff7f0e", {}};
  for (const TimelineSample& s : report.timeline) {
    cost.values.push_back(s.cost_per_hour);
    pending.values.push_back(s.pending_pods);
  }
  const double x_max = std::chrono::duration<double>(report.duration).count();
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
      "<title>karpenter replay: {0}</title><style>"
      "body{{font-family:sans-serif;margin:2em;max-width:960px;color:#222}}"
      "table{{border-collapse:collapse}}th,td{{text-align:left;padding:2px 10px;"
      "vertical-align:top}}tr:nth-child(even){{background:#f4f4f4}}"
      ".grid{{stroke:#ddd}}.ylabel{{font-size:11px;text-anchor:end}}"
      ".xlabel{{font-size:11px;text-anchor:middle}}"
      ".legend span{{margin-right:1em}}.legend i{{display:inline-block;width:10px;height:10px;"
      "margin-right:4px}}.passed{{color:#2ca02c}}.failed{{color:#d62728}}"
      "</style></head><body><h1>Scenario {0}</h1><p>{1}: {2} of virtual time from the start. "
      "Result: <b class='{3}'>{4}</b>{5}</p><h2>Summary</h2><table>{6}</table>",
      Escape(report.scenario), Escape(report.file), FormatOffset(report.duration),
      report.Passed() ? "passed" : "failed", report.Passed() ? "passed" : "FAILED",
      report.error ? " (stopped early: " + Escape(*report.error) + ")" : "", SummaryRows(report));
  html += Plot("Nodes by capacity type", xs, x_max, nodes, true, "", true);
  html += Plot("Cost of the live instances ($/hour)", xs, x_max, {cost}, false, "$", false);
  html += Plot("Pending pods", xs, x_max, {pending}, false, "", true);
  html += "<h2>Events</h2><table><tr><th>time</th><th>kind</th><th>what</th></tr>";
  for (const ReplayEvent& e : report.events) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", FormatOffset(e.at),
                        Escape(e.kind), Escape(e.message));
  }
  return html + "</table></body></html>\n";
}

}  // namespace karpenter::sim
