#!/usr/bin/env bash
# Generates the X.509 test fixtures in test/vectors/x509/ with the openssl CLI
# (tested with OpenSSL 3.0). The output is checked in: tests never run openssl
# to read fixtures. Every run makes new keys, so the files change each time.
#
# Valid certificates live from 2025-01-01 to 2045-01-01 (the P-384 root to
# 2055, which exercises GeneralizedTime, RFC 5280 §4.1.2.5); tests validate at
# the fixed time 2030-06-01T00:00:00Z, so nothing here ever expires for them.
# `openssl ca` is used because OpenSSL 3.0's `x509 -req` cannot set a fixed
# notBefore.
#
# The certificates of the path-validation rule tests (profile rules, name
# constraints, CRLs; issue 15) are not made here: test/x509/generate.ts writes
# them at test time with the DER writer, each with exactly the one fault under
# test. Everything this script makes must pass the web profile's rules
# (docs/x509.md) wherever a test expects it to validate.
set -euo pipefail
command -v openssl >/dev/null || { echo "openssl not found: install it (apt-get install openssl)" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/test/vectors/x509"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
mkdir -p "$out/keys" "$work/newcerts"
: >"$work/index.txt"
echo 1000 >"$work/serial"

START=20250101000000Z
END=20450101000000Z

cat >"$work/ca.cnf" <<'EOF'
[ ca ]
default_ca = CA_default

[ CA_default ]
dir = .
database = $ENV::WORK/index.txt
new_certs_dir = $ENV::WORK/newcerts
serial = $ENV::WORK/serial
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
default_md = sha256

[ policy_any ]
countryName = optional
organizationName = optional
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

# RFC 5280 §4.2.1.9, §4.2.1.3: CA certificates.
[ root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ int ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ int_pathlen0 ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ int_not_ca ]
basicConstraints = critical, CA:false
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ int_no_certsign ]
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# End-entity certificates; SAN and EKU come from the environment.
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = $ENV::EKU
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $ENV::SAN

[ leaf_no_san ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ leaf_critical ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:critical.example.com
1.3.6.1.4.1.55555.1.1 = critical, ASN1:UTF8String:must be understood

[ self_signed_leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:self-signed.example.com
EOF
export WORK="$work" SAN="DNS:unused" EKU="serverAuth"
cnf="$work/ca.cnf"

# newkey NAME TYPE: writes keys/NAME.pkcs8.pem, keys/NAME.spki.pem, and the
# SEC1 (EC) or PKCS#1 (RSA) form.
newkey() {
  local name=$1 type=$2 k="$out/keys/$1"
  case $type in
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$k.pkcs8.pem" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "$k.pkcs8.pem" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$k.pkcs8.pem" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$k.pkcs8.pem" ;;
  esac
  openssl pkey -in "$k.pkcs8.pem" -pubout -out "$k.spki.pem"
  case $type in
    p256 | p384) openssl ec -in "$k.pkcs8.pem" -out "$k.sec1.pem" 2>/dev/null ;;
    rsa) openssl rsa -in "$k.pkcs8.pem" -traditional -out "$k.pkcs1.pem" 2>/dev/null ;;
  esac
}

# tmpkey NAME: a P-256 key that is not kept (long-chain intermediates).
tmpkey() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key"
}

keyfile() { if [[ -f "$out/keys/$1.pkcs8.pem" ]]; then echo "$out/keys/$1.pkcs8.pem"; else echo "$work/$1.key"; fi; }
certfile() { if [[ -f "$out/$1.pem" ]]; then echo "$out/$1.pem"; else echo "$work/$1.pem"; fi; }

# sign OUT SUBJ KEY ISSUER SECTION [extra openssl ca options...]
# ISSUER "self" makes a self-signed certificate. OUT is a path.
sign() {
  local outp=$1 subj=$2 key=$3 issuer=$4 section=$5
  shift 5
  local csr="$work/req.csr"
  openssl req -new -config "$cnf" -key "$(keyfile "$key")" -subj "$subj" -out "$csr"
  local md=(-md sha256)
  for a in "$@"; do [[ $a == -md ]] && md=(); done
  if [[ $(openssl pkey -in "$(keyfile "${issuer/#self/$key}")" -noout -text 2>/dev/null | head -1) == *ED25519* ]]; then md=(); fi
  if [[ $issuer == self ]]; then
    openssl ca -batch -config "$cnf" -selfsign -keyfile "$(keyfile "$key")" -in "$csr" -out "$outp" \
      -extfile "$cnf" -extensions "$section" -startdate "$START" -enddate "$END" -preserveDN -notext "${md[@]}" "$@" 2>/dev/null
  else
    openssl ca -batch -config "$cnf" -cert "$(certfile "$issuer")" -keyfile "$(keyfile "$issuer")" -in "$csr" -out "$outp" \
      -extfile "$cnf" -extensions "$section" -startdate "$START" -enddate "$END" -preserveDN -notext "${md[@]}" "$@" 2>/dev/null
  fi
}

O="/C=US/O=wasmtls test"

# Roots: one per key type.
newkey root-p256 p256
newkey root-p384 p384
newkey root-rsa rsa
newkey root-ed25519 ed25519
newkey root-unknown p256
sign "$out/root-p256.pem" "$O/CN=wasmtls Test Root P-256" root-p256 self root
END=20550101000000Z sign "$out/root-p384.pem" "$O/CN=wasmtls Test Root P-384" root-p384 self root -md sha384
sign "$out/root-rsa.pem" "$O/CN=wasmtls Test Root RSA" root-rsa self root
sign "$out/root-ed25519.pem" "$O/CN=wasmtls Test Root Ed25519" root-ed25519 self root
sign "$out/root-unknown.pem" "$O/CN=wasmtls Test Root Unknown" root-unknown self root

# Intermediates.
newkey int-p256 p256
newkey int-p256-twin p256
newkey int-p384 p384
newkey int-rsa rsa
newkey int-rsa-pss rsa
newkey int-ed25519 ed25519
newkey int-unknown p256
sign "$out/int-p256.pem" "$O/CN=wasmtls Test Intermediate P-256" int-p256 root-p256 int
# Same subject as int-p256, different key: only AKI/SKI (or the signature) tells them apart.
sign "$out/int-p256-twin.pem" "$O/CN=wasmtls Test Intermediate P-256" int-p256-twin root-p256 int
sign "$out/int-p384.pem" "$O/CN=wasmtls Test Intermediate P-384" int-p384 root-p384 int -md sha384
sign "$out/int-rsa.pem" "$O/CN=wasmtls Test Intermediate RSA" int-rsa root-rsa int
# RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 (RFC 4055 §3.1).
sign "$out/int-rsa-pss.pem" "$O/CN=wasmtls Test Intermediate RSA-PSS" int-rsa-pss root-rsa int \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha256
sign "$out/int-ed25519.pem" "$O/CN=wasmtls Test Intermediate Ed25519" int-ed25519 root-ed25519 int
sign "$out/int-unknown.pem" "$O/CN=wasmtls Test Intermediate Unknown" int-unknown root-unknown int

# Valid leaves.
newkey leaf-localhost p256
newkey leaf-example rsa
newkey leaf-wildcard p384
newkey leaf-ipv4 ed25519
newkey leaf-ipv6 p256
newkey leaf-pss p256
SAN="DNS:localhost" sign "$out/leaf-localhost.pem" "/CN=localhost" leaf-localhost int-p256 leaf
SAN="DNS:example.com,DNS:www.example.com" sign "$out/leaf-example.pem" "$O/CN=example.com" leaf-example int-rsa leaf -md sha512
SAN="DNS:*.example.com" sign "$out/leaf-wildcard.pem" "$O/CN=*.example.com" leaf-wildcard int-p384 leaf -md sha384
SAN="IP:127.0.0.1" sign "$out/leaf-ipv4.pem" "/CN=127.0.0.1" leaf-ipv4 int-ed25519 leaf
SAN="IP:::1" EKU="serverAuth,clientAuth" sign "$out/leaf-ipv6.pem" "/CN=::1" leaf-ipv6 int-p256 leaf
SAN="DNS:pss.example.com" sign "$out/leaf-pss.pem" "/CN=pss.example.com" leaf-pss int-rsa-pss leaf \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha256
newkey self-signed p256
sign "$out/self-signed.pem" "/CN=self-signed.example.com" self-signed self self_signed_leaf

# Broken chains. Leaves under a broken CA reuse leaf-localhost's key.
newkey leaf-broken p256
SAN="DNS:localhost" START=20200101000000Z END=20240101000000Z \
  sign "$out/leaf-expired.pem" "/CN=expired.localhost" leaf-broken int-p256 leaf
SAN="DNS:localhost" START=20400101000000Z END=20450101000000Z \
  sign "$out/leaf-not-yet-valid.pem" "/CN=future.localhost" leaf-broken int-p256 leaf
SAN="DNS:client.example.com" EKU="clientAuth" sign "$out/leaf-client-only.pem" "/CN=client.example.com" leaf-broken int-p256 leaf
sign "$out/leaf-critical-ext.pem" "/CN=critical.example.com" leaf-broken int-p256 leaf_critical
sign "$out/leaf-cn-only.pem" "/CN=cn-only.example.com" leaf-broken int-p256 leaf_no_san
SAN="DNS:localhost" sign "$out/leaf-unknown-root.pem" "/CN=unknown-root.localhost" leaf-broken int-unknown leaf

newkey int-not-ca p256
newkey int-no-certsign p256
newkey int-pathlen0 p256
newkey int-under-pathlen0 p256
sign "$out/int-not-ca.pem" "$O/CN=wasmtls Test Intermediate CA false" int-not-ca root-p256 int_not_ca
sign "$out/int-no-certsign.pem" "$O/CN=wasmtls Test Intermediate no keyCertSign" int-no-certsign root-p256 int_no_certsign
sign "$out/int-pathlen0.pem" "$O/CN=wasmtls Test Intermediate pathlen 0" int-pathlen0 root-p256 int_pathlen0
sign "$out/int-under-pathlen0.pem" "$O/CN=wasmtls Test Intermediate under pathlen 0" int-under-pathlen0 int-pathlen0 int
SAN="DNS:localhost" sign "$out/leaf-under-not-ca.pem" "/CN=under-not-ca.localhost" leaf-broken int-not-ca leaf
SAN="DNS:localhost" sign "$out/leaf-under-no-certsign.pem" "/CN=under-no-certsign.localhost" leaf-broken int-no-certsign leaf
SAN="DNS:localhost" sign "$out/leaf-under-pathlen.pem" "/CN=under-pathlen.localhost" leaf-broken int-under-pathlen0 leaf

# Bad signature: leaf-localhost with the last byte of its ECDSA signature
# flipped. The signature stays well-formed DER; only its value is wrong.
openssl x509 -in "$out/leaf-localhost.pem" -outform DER -out "$work/bad.der"
size=$(stat -c %s "$work/bad.der")
last=$(od -An -tu1 -j $((size - 1)) -N1 "$work/bad.der" | tr -d ' ')
printf "\\$(printf %o $((last ^ 0x01)))" | dd of="$work/bad.der" bs=1 seek=$((size - 1)) conv=notrunc status=none
openssl x509 -inform DER -in "$work/bad.der" -out "$out/leaf-bad-signature.pem"

# Chain too long: root-p256 -> long-1 -> ... -> long-10 -> leaf, as one bundle
# leaf first, then long-10 down to long-1.
prev=root-p256
for i in 1 2 3 4 5 6 7 8 9 10; do
  tmpkey "long-$i"
  sign "$work/long-$i.pem" "$O/CN=wasmtls Test Long Chain $i" "long-$i" "$prev" int
  prev="long-$i"
done
SAN="DNS:localhost" sign "$work/leaf-long.pem" "/CN=long-chain.localhost" leaf-broken long-10 leaf
{
  cat "$work/leaf-long.pem"
  for i in 10 9 8 7 6 5 4 3 2 1; do cat "$work/long-$i.pem"; done
} >"$out/chain-long.pem"

# Sanity: every valid chain verifies with openssl at the tests' fixed time.
at=$(date -d 2030-06-01T00:00:00Z +%s)
check() {
  openssl verify -attime "$at" -x509_strict -CAfile "$out/$1.pem" -untrusted "$out/$2.pem" "$out/$3.pem" >/dev/null
}
check root-p256 int-p256 leaf-localhost
check root-p256 int-p256 leaf-ipv6
check root-p384 int-p384 leaf-wildcard
check root-rsa int-rsa leaf-example
check root-rsa int-rsa-pss leaf-pss
check root-ed25519 int-ed25519 leaf-ipv4
if check root-p256 int-p256 leaf-bad-signature 2>/dev/null; then echo "bad signature fixture verifies" >&2; exit 1; fi

cat >"$out/SOURCE.md" <<'EOF'
# X.509 fixtures

Generated by `scripts/make-x509-fixtures.sh` with the openssl CLI. Test data
only: the private keys in `keys/` are published and must never protect
anything. Valid certificates cover 2025-01-01 to 2045-01-01 (root-p384 to
2055-01-01); the tests validate at 2030-06-01T00:00:00Z.

- Roots: root-p256, root-p384 (ecdsa-with-SHA384), root-rsa, root-ed25519,
  root-unknown (never a trust anchor in tests).
- Intermediates: int-p256, int-p256-twin (same subject, other key), int-p384,
  int-rsa, int-rsa-pss (signed with RSASSA-PSS SHA-256), int-ed25519,
  int-unknown (under root-unknown).
- Leaves: leaf-localhost (P-256), leaf-example (RSA, example.com and
  www.example.com, sha512WithRSAEncryption), leaf-wildcard (P-384,
  *.example.com), leaf-ipv4 (Ed25519, 127.0.0.1), leaf-ipv6 (P-256, ::1,
  serverAuth and clientAuth), leaf-pss (P-256, signed with RSASSA-PSS),
  self-signed (CA:false, self-signed.example.com).
- Broken: leaf-expired (2020 to 2024), leaf-not-yet-valid (from 2040),
  leaf-client-only (clientAuth only), leaf-critical-ext (unknown critical
  extension 1.3.6.1.4.1.55555.1.1), leaf-cn-only (no subjectAltName),
  leaf-unknown-root (under int-unknown), int-not-ca + leaf-under-not-ca,
  int-no-certsign + leaf-under-no-certsign, int-pathlen0 + int-under-pathlen0
  + leaf-under-pathlen, leaf-bad-signature (leaf-localhost with the last
  signature byte flipped), chain-long.pem (a leaf and 10 intermediates under
  root-p256, leaf first).
- Keys: `keys/NAME.pkcs8.pem` (PKCS#8), `keys/NAME.spki.pem` (public key),
  `keys/NAME.sec1.pem` (EC, RFC 5915), `keys/NAME.pkcs1.pem` (RSA, RFC 8017).
EOF
echo "fixtures written to $out"
