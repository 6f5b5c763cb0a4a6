#include "resilience/contact_documents.hpp"

#include <map>

#include "core/i18n.hpp"
#include "core/time.hpp"
#include "report/pdf.hpp"

namespace mamori::resilience {

namespace {

// The diagram is a few boxes and lines: written as SVG text directly (no SVG library in Debian
// writes this more simply than a string does).
std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
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

// At most n characters (code points), then "…": long names stay inside their box; the full text is
// in the box's tooltip.
std::string Clip(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++chars) {
    if (chars == n) return s.substr(0, i) + "…";
    auto c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
  }
  return s;
}

std::string CategoryJa(const std::string& cat) {
  return Tr(Lang::kJa, "contact." + cat);
}

std::string Wareki(const std::string& iso) {
  auto t = ParseTime(iso);
  return t ? FormatWarekiJst(*t) : iso;
}

struct Box {
  double x, y;
  std::string title, line1, line2;
  const char* fill;
};

constexpr double kW = 300;
constexpr double kH = 62;

std::string BoxSvg(const Box& b) {
  std::string s = "<g><rect x=\"" + std::to_string(b.x) + "\" y=\"" + std::to_string(b.y) +
                  "\" width=\"" + std::to_string(kW) + "\" height=\"" + std::to_string(kH) +
                  "\" rx=\"6\" fill=\"" + b.fill + "\" stroke=\"#345\"/>";
  s += "<title>" + Esc(b.title + " " + b.line1 + " " + b.line2) + "</title>";
  auto text = [&](double dy, const std::string& t, const char* weight) {
    bool bold = weight[0] == 'b';
    return "<text x=\"" + std::to_string(b.x + 10) + "\" y=\"" + std::to_string(b.y + dy) +
           "\" font-size=\"" + (bold ? "14" : "12") + "\" font-weight=\"" + weight + "\">" +
           Esc(Clip(t, bold ? 20 : 24)) + "</text>";
  };
  s += text(20, b.title, "bold");
  if (!b.line1.empty()) s += text(38, b.line1, "normal");
  if (!b.line2.empty()) s += text(54, b.line2, "normal");
  return s + "</g>";
}

std::string Arrow(double x1, double y1, double x2, double y2) {
  return "<line x1=\"" + std::to_string(x1) + "\" y1=\"" + std::to_string(y1) + "\" x2=\"" +
         std::to_string(x2) + "\" y2=\"" + std::to_string(y2) +
         "\" stroke=\"#345\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>";
}

std::string Phones(const Contact& c) {
  std::string p = c.phone;
  if (!c.phone_after_hours.empty()) p += "（夜間 " + c.phone_after_hours + "）";
  return p;
}

}  // namespace

std::string ContactChartSvg(const ContactDocInput& in) {
  std::vector<const Contact*> internal;
  std::vector<const Contact*> external;
  for (const auto& c : in.contacts) (c.category == "internal" ? internal : external).push_back(&c);
  const double left = 30;
  const double right = 460;
  const double top = 80;
  const double gap = 28;
  double rows = static_cast<double>(std::max(internal.size(), external.size() + 1));
  double height = top + rows * (kH + gap) + 40;
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"" +
      std::to_string(static_cast<int>(height)) +
      "\" font-family=\"Noto Sans CJK JP, sans-serif\">\n"
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
      "fill=\"#345\"/></marker></defs>\n"
      "<title>インシデント発生時の連絡体制図</title>\n"
      "<text x=\"30\" y=\"34\" font-size=\"20\" "
      "font-weight=\"bold\">インシデント発生時の連絡体制図</text>\n"
      "<text x=\"30\" y=\"58\" font-size=\"12\">" +
      Esc(in.org_name + "　" + Wareki(in.today) + " 現在（mamori で作成）") + "</text>\n";
  s += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(top - 6) +
       "\" font-size=\"13\">組織内（連絡順）</text>\n";
  s += "<text x=\"" + std::to_string(right) + "\" y=\"" + std::to_string(top - 6) +
       "\" font-size=\"13\">外部関係機関</text>\n";
  double y = top;
  double last_y = top;
  for (size_t i = 0; i < internal.size(); ++i) {
    const Contact& c = *internal[i];
    s += BoxSvg({left, y, std::to_string(i + 1) + ". " + c.organisation,
                 c.person + (c.department.empty() ? "" : "（" + c.department + "）"), Phones(c),
                 "#eef5ff"}) +
         "\n";
    if (i > 0) s += Arrow(left + kW / 2, y - gap, left + kW / 2, y) + "\n";
    last_y = y;
    y += kH + gap;
  }
  if (internal.empty()) {
    s += BoxSvg({left, top, "（組織内の連絡先が未登録）", "", "", "#fff3f3"}) + "\n";
  }
  y = top;
  for (const Contact* c : external) {
    std::string title = "【" + CategoryJa(c->category) + "】" + c->person;
    s += BoxSvg({right, y, title, c->organisation, Phones(*c),
                 c->category == "vendor" ? "#f4fbf1" : "#fffbea"}) +
         "\n";
    s += Arrow(left + kW, last_y + kH / 2, right, y + kH / 2) + "\n";
    y += kH + gap;
  }
  return s + "</svg>\n";
}

Result<std::string> ContactChartPdf(const ContactDocInput& in) {
  report::PdfDocument pdf("連絡体制図", in.org_name + "　" + Wareki(in.today));
  pdf.Title("インシデント発生時の連絡体制図");
  pdf.Paragraph(in.org_name + "　" + Wareki(in.today) + " 現在");
  for (const char* cat : kContactCategories) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& x : in.contacts) {
      if (x.category != cat) continue;
      rows.push_back(
          {std::to_string(x.call_order),
           x.organisation + (x.department.empty() ? "" : "\n" + x.department), x.person,
           x.phone + (x.phone_after_hours.empty() ? "" : "\n夜間: " + x.phone_after_hours), x.email,
           x.hours});
    }
    if (rows.empty()) continue;
    pdf.Heading(CategoryJa(cat));
    pdf.Table({"順", "組織・部署", "担当者", "電話", "メール", "受付時間"},
              {0.06, 0.28, 0.16, 0.2, 0.18, 0.12}, rows);
  }
  return pdf.Finish();
}

Result<std::string> IncidentPosterPdf(const ContactDocInput& in) {
  report::PdfDocument pdf("サイバー攻撃を受けた場合の対応について（院内掲示用）", in.org_name);
  pdf.Title("サイバー攻撃を受けた場合の対応について（院内掲示用）");
  pdf.Paragraph(
      "サイバー攻撃（コンピュータウイルスの感染等）を受けた疑いがある場合は、被害の拡大を防ぐため、"
      "直ちに下記に連絡し、指示を仰いでください。LANケーブルを抜く等の対応は指示に従ってください"
      "。");
  std::vector<std::vector<std::string>> internal;
  for (const auto& c : in.contacts)
    if (c.category == "internal")
      internal.push_back(
          {std::to_string(c.call_order), c.organisation, c.person, Phones(c), c.hours});
  pdf.Heading("1. 院内の連絡先（上から順に）");
  if (internal.empty())
    pdf.Paragraph("（未登録）");
  else
    pdf.Table({"順", "連絡先", "担当者", "電話", "受付時間"}, {0.06, 0.36, 0.18, 0.24, 0.16},
              internal);
  std::vector<std::vector<std::string>> vendors;
  for (const auto& c : in.contacts) {
    if (c.category != "vendor") continue;
    std::string systems;
    for (const auto& s : in.systems)
      if (s.vendor_id && c.vendor_id && *s.vendor_id == *c.vendor_id)
        systems += (systems.empty() ? "" : "、") + s.name;
    vendors.push_back({systems, c.organisation, Phones(c), c.person, c.hours});
  }
  pdf.Heading("2. 医療情報システムの保守会社等 緊急連絡先");
  if (vendors.empty())
    pdf.Paragraph("（未登録）");
  else
    pdf.Table({"システム", "社名", "電話番号", "担当者名", "受付時間"},
              {0.24, 0.28, 0.2, 0.14, 0.14}, vendors);
  pdf.Heading("3. 診療系システムの停止や個人情報の流出等の被害が出た場合");
  std::vector<std::vector<std::string>> official;
  for (const auto& c : in.contacts)
    if (c.category == "mhlw" || c.category == "mhlw_desk" || c.category == "police" ||
        c.category == "prefecture" || c.category == "health_center")
      official.push_back({CategoryJa(c.category), c.organisation, Phones(c), c.hours});
  if (official.empty())
    pdf.Paragraph("厚生労働省の連絡先が未登録です。");
  else
    pdf.Table({"区分", "連絡先", "電話", "受付時間"}, {0.2, 0.44, 0.2, 0.16}, official);
  pdf.Space(12);
  pdf.Paragraph("掲示日: " + Wareki(in.today) + "　" + in.org_name, true);
  return pdf.Finish();
}

}  // namespace mamori::resilience
