// PDF documents with Japanese text: reports for management and inspectors (the ledger's
// 経営層への報告 now; the checklist's forms later). Cairo draws, Pango lays out text with the
// Noto Sans CJK JP font Debian ships (fonts-noto-cjk), which is embedded in the file.
//
// A small flowing-layout writer: headings, paragraphs, tables that break across pages with
// their header repeated, page numbers in the footer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace mamori::report {

class PdfDocument {
 public:
  // A4 portrait; `footer` is printed on every page, followed by the page number.
  PdfDocument(const std::string& title, std::string footer);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  void Title(const std::string& text);
  void Heading(const std::string& text);
  void Paragraph(const std::string& text, bool small = false);
  // Column widths are fractions of the text width; rows longer than a page are broken.
  void Table(const std::vector<std::string>& header, const std::vector<double>& widths,
             const std::vector<std::vector<std::string>>& rows);
  void Space(double points);

  // Finishes the document and returns the PDF bytes.
  Result<std::string> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mamori::report
