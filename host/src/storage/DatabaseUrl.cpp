#include "DatabaseUrl.hpp"

#include <charconv>
#include <system_error>

#include "DatabaseError.hpp"

namespace mdp::storage {
namespace {

[[noreturn]] void bad(const std::string& why) {
  throw DatabaseConfigError("invalid database URL: " + why);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view in, std::string_view what) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) {
      bad("bad percent-encoding in the " + std::string(what));
    }
    out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
    i += 2;
  }
  return out;
}

// Poco 1.11 builds "key=value key=value" and splits on spaces, with no quoting: a value with
// a space, quote or backslash would be cut or misread by libpq. Refuse it up front.
void check_conninfo_value(const std::string& value, std::string_view what) {
  for (unsigned char c : value) {
    if (c == ' ' || c == '\'' || c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
      bad("the " + std::string(what) +
          " contains a space, quote, backslash or control character; the PostgreSQL connector "
          "(Poco 1.11) cannot pass such values — choose one without them");
    }
  }
}

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && i > 0))) return false;
  }
  return true;
}

template <class Int>
bool parse_int(std::string_view s, Int& out) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

DatabaseUrl parse_postgresql(std::string_view rest) {
  DatabaseUrl url;
  url.dialect = Dialect::PostgreSQL;

  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (rest.find('#') != std::string_view::npos) bad("fragments ('#') are not allowed");
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) bad("missing database name (postgresql://user:pass@host:port/db)");
  std::string_view authority = rest.substr(0, slash);
  const std::string_view db = rest.substr(slash + 1);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) {
      url.password = percent_decode(userinfo.substr(colon + 1), "password");
    }
  }
  if (url.user.empty()) bad("missing user name (postgresql://user:pass@host:port/db)");

  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad("unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad("junk after the IPv6 address");
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) bad("missing host");
  url.host = percent_decode(host, "host");
  if (!port.empty() || authority.find(':') != std::string_view::npos) {
    unsigned value = 0;
    if (!parse_int(port, value) || value == 0 || value > 65535) bad("port must be 1..65535");
    url.port = static_cast<std::uint16_t>(value);
  }
  url.database = percent_decode(db, "database name");
  if (url.database.empty()) bad("missing database name (postgresql://user:pass@host:port/db)");
  if (url.database.find('/') != std::string::npos) bad("the database name contains '/'");

  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) bad("query parameter without '=': " + std::string(pair));
    const std::string key(pair.substr(0, eq));
    const std::string value = percent_decode(pair.substr(eq + 1), "parameter " + key);
    if (key == "sslmode") {
      static constexpr std::string_view kModes[] = {"disable", "allow", "prefer", "require",
                                                    "verify-ca", "verify-full"};
      bool known = false;
      for (auto mode : kModes) known = known || value == mode;
      if (!known) bad("sslmode must be disable|allow|prefer|require|verify-ca|verify-full");
      url.sslmode = value;
    } else if (key == "connect_timeout") {
      int seconds = 0;
      if (!parse_int(value, seconds) || seconds < 1 || seconds > 600) {
        bad("connect_timeout must be 1..600 seconds");
      }
      url.connect_timeout_s = seconds;
    } else if (key == "application_name") {
      check_conninfo_value(value, "application_name");
      url.application_name = value;
    } else if (key == "schema") {
      if (!is_identifier(value)) bad("schema must match [a-z_][a-z0-9_]{0,62}");
      url.schema = value;
    } else if (key == "statement_timeout_ms") {
      std::int64_t ms = 0;
      if (!parse_int(value, ms) || ms < 0) bad("statement_timeout_ms must be a non-negative integer");
      url.statement_timeout_ms = ms;
    } else {
      bad("unknown query parameter '" + key +
          "' (known: sslmode, connect_timeout, application_name, schema, statement_timeout_ms)");
    }
  }

  check_conninfo_value(url.host, "host");
  check_conninfo_value(url.user, "user name");
  check_conninfo_value(url.password, "password");
  check_conninfo_value(url.database, "database name");
  return url;
}

DatabaseUrl parse_sqlite(std::string_view rest) {
  DatabaseUrl url;
  url.dialect = Dialect::SQLite;
  if (rest.empty()) bad("sqlite: needs a path (sqlite:var/mdp.db, sqlite:/abs/path.db or sqlite::memory:)");
  if (rest.rfind("//", 0) == 0) {
    bad("use sqlite:relative/path.db or sqlite:/absolute/path.db (no '//')");
  }
  for (unsigned char c : rest) {
    if (c < 0x20 || c == 0x7f) bad("the SQLite path contains a control character");
  }
  if (rest.find('?') != std::string_view::npos) bad("the SQLite form takes no parameters");
  url.sqlite_path = std::string(rest);
  return url;
}

}  // namespace

std::string_view to_string(Dialect dialect) {
  return dialect == Dialect::PostgreSQL ? "postgresql" : "sqlite";
}

DatabaseUrl parse_database_url(std::string_view text) {
  if (text.empty()) bad("empty");
  for (unsigned char c : text) {
    if (c == 0) bad("contains a NUL byte");
  }
  if (text.rfind("postgresql://", 0) == 0) return parse_postgresql(text.substr(13));
  if (text.rfind("postgres://", 0) == 0) return parse_postgresql(text.substr(11));
  if (text.rfind("sqlite:", 0) == 0) return parse_sqlite(text.substr(7));
  bad("unsupported scheme (expected postgresql://… or sqlite:…)");
}

DatabaseUrl default_database_url(const std::filesystem::path& working_dir) {
  const std::filesystem::path dir = working_dir / "var";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw DatabaseConfigError("cannot create " + dir.string() + " for the default SQLite database: " +
                              ec.message());
  }
  DatabaseUrl url;
  url.dialect = Dialect::SQLite;
  url.sqlite_path = (dir / "mdp.db").string();
  return url;
}

std::string DatabaseUrl::connector_string() const {
  if (dialect == Dialect::SQLite) return sqlite_path;
  std::string out;
  auto add = [&out](std::string_view key, const std::string& value) {
    if (!out.empty()) out += ' ';
    out.append(key).append("=").append(value);
  };
  add("host", host);
  add("port", std::to_string(port));
  add("dbname", database);
  add("user", user);
  if (!password.empty()) add("password", password);
  add("connect_timeout", std::to_string(connect_timeout_s));
  if (sslmode) add("sslmode", *sslmode);
  if (application_name) add("application_name", *application_name);
  return out;
}

std::string DatabaseUrl::redacted() const {
  if (dialect == Dialect::SQLite) return "sqlite:" + sqlite_path;
  std::string out = "postgresql://" + user;
  if (!password.empty()) out += ":***";
  out += "@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ":" + std::to_string(port) + "/" + database;
  std::string query;
  auto add = [&query](std::string_view key, const std::string& value) {
    query += query.empty() ? "?" : "&";
    query.append(key).append("=").append(value);
  };
  if (sslmode) add("sslmode", *sslmode);
  if (connect_timeout_s != 5) add("connect_timeout", std::to_string(connect_timeout_s));
  if (application_name) add("application_name", *application_name);
  if (schema) add("schema", *schema);
  if (statement_timeout_ms) add("statement_timeout_ms", std::to_string(*statement_timeout_ms));
  return out + query;
}

}  // namespace mdp::storage
