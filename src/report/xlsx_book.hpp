// An Excel workbook being written with libxlsxwriter (Debian's libxlsxwriter-dev), owned so that
// every early return closes it and removes its temporary file. Used by the ledger's and the
// checklist's Excel exports.
#pragma once

#include <xlsxwriter.h>

#include <string>

#include "core/result.hpp"

namespace mamori::report {

class XlsxBook {
 public:
  XlsxBook();
  ~XlsxBook();
  XlsxBook(const XlsxBook&) = delete;
  XlsxBook& operator=(const XlsxBook&) = delete;

  // nullptr when the temporary file could not be created (Finish() then reports it).
  lxw_workbook* get() { return wb_; }
  // Closes the workbook and returns its bytes.
  Result<std::string> Finish();

  // "YYYY-MM-DD" → an Excel date cell value.
  static lxw_datetime Date(const std::string& iso);

  // The document's title, organisation and a comment naming what wrote it.
  void SetProperties(const std::string& title, const std::string& company, const char* comments);
  // The house style of mamori's lists: a title (bold, 14 pt), column headers (bold on light
  // blue, thin border, wrapped), wrapped text and dates (yyyy/m/d) aligned to the top.
  struct ListFormats {
    lxw_format* title = nullptr;
    lxw_format* head = nullptr;
    lxw_format* wrap = nullptr;
    lxw_format* date = nullptr;
  };
  ListFormats AddListFormats();

 private:
  std::string path_;
  lxw_workbook* wb_ = nullptr;
};

}  // namespace mamori::report
