#pragma once
// storage::Value to and from PostgreSQL's wire formats, by type OID. Results are read
// in text format; parameters are sent in text format except bytea (raw bytes, binary).

#include <string>
#include <string_view>

#include "storage/value.hpp"

namespace atrium::storage::postgres {

// The type OIDs the driver names (fixed in PostgreSQL's catalog, pg_type.dat).
inline constexpr unsigned kBoolOid = 16;
inline constexpr unsigned kByteaOid = 17;
inline constexpr unsigned kInt8Oid = 20;
inline constexpr unsigned kInt2Oid = 21;
inline constexpr unsigned kInt4Oid = 23;
inline constexpr unsigned kOidOid = 26;
inline constexpr unsigned kFloat4Oid = 700;
inline constexpr unsigned kFloat8Oid = 701;
inline constexpr unsigned kNumericOid = 1700;
inline constexpr unsigned kUnknownOid = 0;  // "let the server infer it from the context"

// One result cell in text format: int2/int4/int8/oid as integers, float4/float8/numeric
// as reals, bool as 0/1, bytea (hex output) as its raw bytes in a string, every other
// type as its text. NULL cells are decoded by the caller.
Value DecodeText(unsigned type_oid, std::string_view text);

// The type a parameter is declared with when a statement is prepared: integers as
// int8, reals as float8, strings and NULL left to the server to infer.
unsigned DeclaredType(const Value& v);

// A non-NULL parameter in text format ("1e+300", "Infinity"); strings as they are.
std::string EncodeText(const Value& v);

}  // namespace atrium::storage::postgres
