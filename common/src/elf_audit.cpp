// Parses the ELF64 headers, the dynamic section, the dynamic symbol table and
// the relocation sections by hand (<elf.h>), bounds-checking every offset.
#include "vyx/common/elf_audit.hpp"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vyx::common {
namespace {

class image {
 public:
  explicit image(std::string bytes) : bytes_(std::move(bytes)) {}
  template <class T>
  bool read(std::uint64_t offset, T& out) const {
    if (offset > bytes_.size() || bytes_.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, bytes_.data() + offset, sizeof(T));
    return true;
  }
  std::string string_at(std::uint64_t offset, std::uint64_t limit) const {
    std::string s;
    for (std::uint64_t i = offset; i < limit && i < bytes_.size() && bytes_[i] != 0; ++i)
      s.push_back(bytes_[i]);
    return s;
  }
  std::size_t size() const { return bytes_.size(); }

 private:
  std::string bytes_;
};

}  // namespace

const std::vector<std::string>& allowed_imports() {
  static const std::vector<std::string> names = {
      "acos",      "acosh",     "asin",   "asinh",     "atan",   "atan2",   "atanh",  "cbrt",
      "ceil",      "copysign",  "cos",    "cosh",      "erf",    "erfc",    "exp",    "exp2",
      "expm1",     "fabs",      "floor",  "fma",       "fmax",   "fmin",    "fmod",   "hypot",
      "ldexp",     "lgamma",    "llrint", "llround",   "log",    "log10",   "log1p",  "log2",
      "logb",      "lrint",     "lround", "memcmp",    "memcpy", "memmove", "memset", "modf",
      "nearbyint", "nextafter", "pow",    "remainder", "rint",   "round",   "sin",    "sinh",
      "sqrt",      "tan",       "tanh",   "tgamma",    "trunc"};
  return names;
}

std::vector<std::string> audit_plugin(const std::filesystem::path& so) {
  std::vector<std::string> problems;
  std::ifstream in(so, std::ios::binary);
  if (!in) return {"cannot read the plugin file"};
  std::ostringstream s;
  s << in.rdbuf();
  const image elf(s.str());

  Elf64_Ehdr eh;
  if (!elf.read(0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return {"not a 64-bit little-endian ELF file"};
  if (eh.e_type != ET_DYN) problems.push_back("not a shared object");
  if (eh.e_machine != EM_X86_64) problems.push_back("not an x86-64 object");

  bool has_dynamic = false;
  for (std::uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (!elf.read(eh.e_phoff + std::uint64_t{i} * eh.e_phentsize, ph))
      return {"truncated program headers"};
    if (ph.p_type == PT_TLS) problems.push_back("has thread-local storage (PT_TLS)");
    if (ph.p_type == PT_INTERP) problems.push_back("has a program interpreter (PT_INTERP)");
    if (ph.p_type == PT_GNU_STACK && (ph.p_flags & PF_X) != 0)
      problems.push_back("asks for an executable stack");
    if (ph.p_type == PT_DYNAMIC) has_dynamic = true;
  }
  if (!has_dynamic) problems.push_back("has no dynamic section");

  // Sections: dynamic, dynsym (+ its strtab), relocations, init/fini arrays.
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  for (std::uint16_t i = 0; i < eh.e_shnum; ++i)
    if (!elf.read(eh.e_shoff + std::uint64_t{i} * eh.e_shentsize, sections[i]))
      return {"truncated section headers"};
  auto section_end = [&](const Elf64_Shdr& sh) { return sh.sh_offset + sh.sh_size; };
  bool exports_entry = false;
  for (const Elf64_Shdr& sh : sections) {
    if ((sh.sh_type == SHT_INIT_ARRAY || sh.sh_type == SHT_FINI_ARRAY ||
         sh.sh_type == SHT_PREINIT_ARRAY) &&
        sh.sh_size > 0)
      problems.push_back("has initialisation or finalisation functions (init/fini arrays)");
    if (sh.sh_type == SHT_DYNAMIC) {
      const Elf64_Shdr* strtab = sh.sh_link < sections.size() ? &sections[sh.sh_link] : nullptr;
      for (std::uint64_t off = sh.sh_offset; off + sizeof(Elf64_Dyn) <= section_end(sh);
           off += sizeof(Elf64_Dyn)) {
        Elf64_Dyn d;
        if (!elf.read(off, d) || d.d_tag == DT_NULL) break;
        switch (d.d_tag) {
          case DT_INIT:
          case DT_FINI:
            problems.push_back("has DT_INIT/DT_FINI code");
            break;
          case DT_INIT_ARRAYSZ:
          case DT_FINI_ARRAYSZ:
          case DT_PREINIT_ARRAYSZ:
            if (d.d_un.d_val != 0) problems.push_back("has init/fini array entries");
            break;
          case DT_TEXTREL:
            problems.push_back("has text relocations");
            break;
          case DT_FLAGS:
            if ((d.d_un.d_val & DF_TEXTREL) != 0) problems.push_back("has text relocations");
            if ((d.d_un.d_val & DF_STATIC_TLS) != 0) problems.push_back("uses static TLS");
            break;
          case DT_NEEDED: {
            const std::string lib =
                strtab ? elf.string_at(strtab->sh_offset + d.d_un.d_val, section_end(*strtab)) : "";
            if (lib != "libc.so.6" && lib != "libm.so.6")
              problems.push_back("needs library '" + lib + "'");
            break;
          }
          default:
            break;
        }
      }
    }
    if (sh.sh_type == SHT_DYNSYM) {
      if (sh.sh_link >= sections.size()) return {"bad dynamic symbol table"};
      const Elf64_Shdr& strtab = sections[sh.sh_link];
      for (std::uint64_t off = sh.sh_offset + sizeof(Elf64_Sym);
           off + sizeof(Elf64_Sym) <= section_end(sh); off += sizeof(Elf64_Sym)) {
        Elf64_Sym sym;
        if (!elf.read(off, sym)) break;
        const std::string name = elf.string_at(strtab.sh_offset + sym.st_name, section_end(strtab));
        const unsigned type = ELF64_ST_TYPE(sym.st_info), bind = ELF64_ST_BIND(sym.st_info);
        if (type == STT_GNU_IFUNC) problems.push_back("symbol '" + name + "' is an IFUNC");
        if (type == STT_TLS) problems.push_back("symbol '" + name + "' is thread-local");
        if (sym.st_shndx == SHN_UNDEF) {
          const auto& allowed = allowed_imports();
          if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            problems.push_back("imports '" + name + "', which is not on the allowlist");
        } else if ((bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE) &&
                   ELF64_ST_VISIBILITY(sym.st_other) == STV_DEFAULT) {
          if (name == "vyx_plugin_entry" && type == STT_FUNC)
            exports_entry = true;
          else
            problems.push_back("exports '" + name + "'; only vyx_plugin_entry may be exported");
        }
      }
    }
    if (sh.sh_type == SHT_RELA) {
      for (std::uint64_t off = sh.sh_offset; off + sizeof(Elf64_Rela) <= section_end(sh);
           off += sizeof(Elf64_Rela)) {
        Elf64_Rela r;
        if (!elf.read(off, r)) break;
        const unsigned type = ELF64_R_TYPE(r.r_info);
        if (type == R_X86_64_IRELATIVE) problems.push_back("has an IRELATIVE (IFUNC) relocation");
        if (type == R_X86_64_DTPMOD64 || type == R_X86_64_DTPOFF64 || type == R_X86_64_TPOFF64)
          problems.push_back("has a TLS relocation");
      }
    }
  }
  if (!exports_entry) problems.push_back("does not export the function vyx_plugin_entry");
  std::sort(problems.begin(), problems.end());
  problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
  return problems;
}

}  // namespace vyx::common
