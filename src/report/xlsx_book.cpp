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

}  // namespace mamori::report
