#include "report/pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>

namespace mamori::report {

namespace {
constexpr double kPageW = 595.28;  // A4 in points
constexpr double kPageH = 841.89;
constexpr double kMargin = 50;
constexpr double kTextW = kPageW - 2 * kMargin;
constexpr double kBottom = kPageH - kMargin - 20;  // room for the footer
constexpr const char* kFont = "Noto Sans CJK JP";

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}
}  // namespace

struct PdfDocument::Impl {
  std::string out;
  std::string footer;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  double y = kMargin;
  int page = 1;
  bool finished = false;

  // A laid-out block of text; the caller owns it.
  PangoLayout* Layout(const std::string& text, double size, bool bold, double width) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFont);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, text.c_str(), -1);
    return layout;
  }

  static double Height(PangoLayout* layout) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void Draw(PangoLayout* layout, double x, double at_y) {
    cairo_move_to(cr, x, at_y);
    pango_cairo_show_layout(cr, layout);
  }

  void Footer() {
    PangoLayout* l = Layout(footer + "　　" + std::to_string(page), 8, false, kTextW);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    Draw(l, kMargin, kPageH - kMargin);
    cairo_set_source_rgb(cr, 0, 0, 0);
    g_object_unref(l);
  }

  void NewPage() {
    Footer();
    cairo_show_page(cr);
    ++page;
    y = kMargin;
  }

  void EnsureRoom(double h) {
    if (y + h > kBottom && y > kMargin) NewPage();
  }

  void Text(const std::string& text, double size, bool bold, double gap_after) {
    PangoLayout* l = Layout(text, size, bold, kTextW);
    double h = Height(l);
    EnsureRoom(h);
    Draw(l, kMargin, y);
    y += h + gap_after;
    g_object_unref(l);
  }
};

PdfDocument::PdfDocument(const std::string& title, std::string footer)
    : impl_(std::make_unique<Impl>()) {
  impl_->footer = std::move(footer);
  impl_->surface = cairo_pdf_surface_create_for_stream(Append, &impl_->out, kPageW, kPageH);
  cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_CREATOR, "mamori");
  impl_->cr = cairo_create(impl_->surface);
}

PdfDocument::~PdfDocument() {
  if (impl_->cr != nullptr) cairo_destroy(impl_->cr);
  if (impl_->surface != nullptr) cairo_surface_destroy(impl_->surface);
}

void PdfDocument::Title(const std::string& text) {
  impl_->Text(text, 18, true, 10);
}
void PdfDocument::Heading(const std::string& text) {
  impl_->EnsureRoom(60);  // a heading is not left alone at the bottom of a page
  impl_->y += 8;
  impl_->Text(text, 13, true, 6);
}
void PdfDocument::Paragraph(const std::string& text, bool small) {
  impl_->Text(text, small ? 8.5 : 10, false, 4);
}
void PdfDocument::Space(double points) {
  impl_->y += points;
}

void PdfDocument::Table(const std::vector<std::string>& header, const std::vector<double>& widths,
                        const std::vector<std::vector<std::string>>& rows) {
  Impl& d = *impl_;
  constexpr double kPad = 3;
  constexpr double kSize = 8.5;
  auto row_layouts = [&](const std::vector<std::string>& cells, bool bold) {
    std::vector<PangoLayout*> ls;
    double h = 0;
    for (size_t c = 0; c < widths.size(); ++c) {
      double w = widths[c] * kTextW - 2 * kPad;
      ls.push_back(d.Layout(c < cells.size() ? cells[c] : "", kSize, bold, w));
      h = std::max(h, Impl::Height(ls.back()));
    }
    return std::pair{ls, h + 2 * kPad};
  };
  auto draw_row = [&](std::vector<PangoLayout*>& ls, double h, bool shaded) {
    double x = kMargin;
    for (size_t c = 0; c < ls.size(); ++c) {
      double w = widths[c] * kTextW;
      if (shaded) {
        cairo_set_source_rgb(d.cr, 0.87, 0.92, 0.97);
        cairo_rectangle(d.cr, x, d.y, w, h);
        cairo_fill(d.cr);
        cairo_set_source_rgb(d.cr, 0, 0, 0);
      }
      cairo_set_line_width(d.cr, 0.5);
      cairo_rectangle(d.cr, x, d.y, w, h);
      cairo_stroke(d.cr);
      d.Draw(ls[c], x + kPad, d.y + kPad);
      g_object_unref(ls[c]);
      x += w;
    }
    d.y += h;
  };
  auto draw_header = [&]() {
    auto [ls, h] = row_layouts(header, true);
    draw_row(ls, h, true);
  };
  auto [hl, hh] = row_layouts(header, true);
  for (auto* l : hl) g_object_unref(l);
  d.EnsureRoom(hh * 2);
  draw_header();
  for (const auto& r : rows) {
    auto [ls, h] = row_layouts(r, false);
    if (d.y + h > kBottom) {
      d.NewPage();
      draw_header();
    }
    draw_row(ls, h, false);
  }
  d.y += 6;
}

Result<std::string> PdfDocument::Finish() {
  Impl& d = *impl_;
  if (!d.finished) {
    d.Footer();
    cairo_show_page(d.cr);
    cairo_destroy(d.cr);
    d.cr = nullptr;
    cairo_surface_finish(d.surface);
    cairo_status_t st = cairo_surface_status(d.surface);
    cairo_surface_destroy(d.surface);
    d.surface = nullptr;
    d.finished = true;
    if (st != CAIRO_STATUS_SUCCESS)
      return MakeError(ErrorCode::kInternal, "report.pdf_failed", {cairo_status_to_string(st)});
  }
  return d.out;
}

}  // namespace mamori::report
