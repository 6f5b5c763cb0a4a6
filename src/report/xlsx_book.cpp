#include "report/xlsx_book.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace mamori::report {

XlsxBook::XlsxBook() {
  char path[] = "/tmp/mamori-xlsx-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return;
  close(fd);
  path_ = path;
  lxw_workbook_options opt{};
  opt.constant_memory = 0;  // shared strings: smaller files for repetitive content
  wb_ = workbook_new_opt(path_.c_str(), &opt);
}

XlsxBook::~XlsxBook() {
  if (wb_ != nullptr) workbook_close(wb_);
  if (!path_.empty()) std::remove(path_.c_str());
}

Result<std::string> XlsxBook::Finish() {
  if (wb_ == nullptr) return MakeError(ErrorCode::kIo, "export.cannot_write", {path_});
  lxw_error e = workbook_close(wb_);
  wb_ = nullptr;
  if (e != LXW_NO_ERROR) return MakeError(ErrorCode::kIo, "export.cannot_write", {path_});
  std::ifstream in(path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

lxw_datetime XlsxBook::Date(const std::string& iso) {
  lxw_datetime d{};
  std::sscanf(iso.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day);
  return d;
}

void XlsxBook::SetProperties(const std::string& title, const std::string& company,
                             const char* comments) {
  if (wb_ == nullptr) return;
  // libxlsxwriter keeps copies of the strings (and frees them with the workbook).
  lxw_doc_properties props{};
  props.title = const_cast<char*>(title.c_str());
  props.company = const_cast<char*>(company.c_str());
  props.comments = const_cast<char*>(comments);
  workbook_set_properties(wb_, &props);
}

XlsxBook::ListFormats XlsxBook::AddListFormats() {
  ListFormats f;
  if (wb_ == nullptr) return f;
  f.title = workbook_add_format(wb_);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.head = workbook_add_format(wb_);
  format_set_bold(f.head);
  format_set_bg_color(f.head, 0xDDEBF7);
  format_set_border(f.head, LXW_BORDER_THIN);
  format_set_text_wrap(f.head);
  f.wrap = workbook_add_format(wb_);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.date = workbook_add_format(wb_);
  format_set_num_format(f.date, "yyyy/m/d");
  format_set_align(f.date, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

}  // namespace mamori::report
