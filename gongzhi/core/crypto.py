"""Encryption of personal data at rest, and the keyed hash that makes it searchable.

A stored value reads `<key id>:<cipher>:<base64 of nonce + ciphertext + tag>` — the key id says which key
of the keyring decrypts it, so keys rotate row by row (`manage.py rotate_personal_data_key`). Ciphers:

* `aes` — AES-256-GCM (the default);
* `sm4` — SM4-GCM (GB/T 32907), for a commercial-cryptography (商用密码) assessment.

The cipher for new values is the setting `GONGZHI_PERSONAL_DATA_CIPHER`; a stored value names its own, so
switching is a rotation like any other. GCM authenticates: a wrong key, or a value altered in the database,
raises `PersonalDataKeyError` — never a wrong plaintext.

Equality search uses a keyed hash under a separate index key (HMAC-SHA256, or HMAC-SM3 with
`GONGZHI_PERSONAL_DATA_INDEX_HASH=sm3`, independent of the cipher so switching cipher keeps it): the
same plaintext always gives the same digest, and without the key the digest says nothing. The index key is
long-lived; rotating the encryption keys keeps every digest. Keys come from the environment (settings.py);
the development keys below are accepted only where settings allow them (DEBUG or the demo, never with
GONGZHI_HTTPS on).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Published in this repository: only ever for development, tests and the demo (settings.py refuses to start
# with them when GONGZHI_HTTPS is on and DEBUG off).
DEV_KEYS = "dev1:ZGV2ZWxvcG1lbnQtb25seS1wZXJzb25hbC1kYXRhLWs="
DEV_INDEX_KEY = "ZGV2ZWxvcG1lbnQtb25seS1pbmRleC1rZXktMDAwMDA="
CIPHERS = ("aes", "sm4")
INDEX_HASHES = ("sha256", "sm3")
NONCE_BYTES = 12


class PersonalDataKeyError(Exception):
    """A stored value cannot be decrypted: unknown key id, wrong key, or altered data."""


@dataclass(frozen=True)
class Keyring:
    current: str  # key id that encrypts new values
    keys: dict[str, bytes]  # key id -> 32-byte master key
    cipher: str  # aes | sm4, for new values
    index_key: bytes
    index_hash: str  # sha256 | sm3


def parse_keys(text: str) -> dict[str, bytes]:
    """`id:base64,id:base64,…` (first is current) → {id: key}; each key must be 32 bytes."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kid, sep, material = item.partition(":")
        if not sep or not kid.isalnum() or len(kid) > 8:
            raise ImproperlyConfigured(
                f"个人信息密钥格式应为 编号:base64，编号为不超过 8 位的字母数字：{kid!r}"
            )
        key = _b64(material)
        if len(key) != 32:
            raise ImproperlyConfigured(
                f"个人信息密钥 {kid} 应为 32 字节（base64 编码），实为 {len(key)} 字节"
            )
        keys[kid] = key
    if not keys:
        raise ImproperlyConfigured("未配置个人信息加密密钥（GONGZHI_PERSONAL_DATA_KEYS）")
    return keys


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured("个人信息密钥不是有效的 base64") from exc


@lru_cache(maxsize=8)
def _keyring(keys: str, cipher: str, index_key: str, index_hash: str) -> Keyring:
    if index_hash not in INDEX_HASHES:
        raise ImproperlyConfigured(f"GONGZHI_PERSONAL_DATA_INDEX_HASH 应为 sha256/sm3，实为 {index_hash!r}")
    if cipher not in CIPHERS:
        raise ImproperlyConfigured(f"GONGZHI_PERSONAL_DATA_CIPHER 应为 {'/'.join(CIPHERS)}，实为 {cipher!r}")
    parsed = parse_keys(keys)
    index = _b64(index_key)
    if len(index) < 16:
        raise ImproperlyConfigured("个人信息检索密钥（GONGZHI_PERSONAL_DATA_INDEX_KEY）至少 16 字节")
    return Keyring(next(iter(parsed)), parsed, cipher, index, index_hash)


def keyring() -> Keyring:
    """The keyring the settings describe (cached per distinct setting, so tests may override them)."""
    return _keyring(  # four attribute reads and a cache hit per value
        settings.GONGZHI_PERSONAL_DATA_KEYS,
        settings.GONGZHI_PERSONAL_DATA_CIPHER,
        settings.GONGZHI_PERSONAL_DATA_INDEX_KEY,
        settings.GONGZHI_PERSONAL_DATA_INDEX_HASH,
    )


@lru_cache(maxsize=32)
def _subkey(master: bytes, cipher: str) -> bytes:
    """A per-cipher key derived from the master key (HKDF), so one key never serves two ciphers."""
    length = 32 if cipher == "aes" else 16
    return HKDF(hashes.SHA256(), length, salt=None, info=b"gongzhi personal data " + cipher.encode()).derive(
        master
    )


@lru_cache(maxsize=32)
def _aesgcm(key: bytes) -> AESGCM:
    return AESGCM(key)


def _seal(cipher: str, key: bytes, nonce: bytes, data: bytes) -> bytes:
    if cipher == "aes":
        return _aesgcm(key).encrypt(nonce, data, None)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = enc.update(data) + enc.finalize()
    return body + enc.tag


def _open(cipher: str, key: bytes, nonce: bytes, sealed: bytes) -> bytes:
    if cipher == "aes":
        return _aesgcm(key).decrypt(nonce, sealed, None)
    if len(sealed) < 16:
        raise InvalidTag
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-16:])).decryptor()
    return dec.update(sealed[:-16]) + dec.finalize()


def encrypt(plaintext: str, ring: Keyring | None = None) -> str:
    """Encrypt under the current key and cipher; a fresh random nonce each time."""
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = _seal(ring.cipher, _subkey(ring.keys[ring.current], ring.cipher), nonce, plaintext.encode())
    return f"{ring.current}:{ring.cipher}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    return stored.split(":", 1)[0]


def decrypt(stored: str, ring: Keyring | None = None) -> str:
    """The plaintext of a stored value; PersonalDataKeyError when it cannot be authenticated."""
    ring = ring or keyring()
    parts = stored.split(":", 2)
    if len(parts) != 3 or parts[1] not in CIPHERS:
        raise PersonalDataKeyError("个人信息字段的存储格式无法识别（未加密或已损坏）")
    kid, cipher, body = parts
    key = ring.keys.get(kid)
    if key is None:
        raise PersonalDataKeyError(f"个人信息密钥 {kid} 未配置，无法解密")
    try:
        raw = base64.b64decode(body, validate=True)
        return _open(cipher, _subkey(key, cipher), raw[:NONCE_BYTES], raw[NONCE_BYTES:]).decode()
    except (InvalidTag, ValueError) as exc:
        raise PersonalDataKeyError(f"个人信息无法用密钥 {kid} 解密（密钥错误或数据被改动）") from exc


def blind_index(plaintext: str, ring: Keyring | None = None) -> str:
    """Keyed hash for equality search (64 hex digits): HMAC-SHA256 or HMAC-SM3 under the index key."""
    ring = ring or keyring()
    mac = _mac(ring.index_key, ring.index_hash).copy()  # the keyed state is prepared once per key
    mac.update(plaintext.encode())
    if isinstance(mac, HMAC):
        return mac.finalize().hex()
    return mac.hexdigest()


@lru_cache(maxsize=8)
def _mac(key: bytes, index_hash: str) -> HMAC | hmac.HMAC:
    if index_hash == "sm3":
        return HMAC(key, hashes.SM3())
    return hmac.new(key, None, hashlib.sha256)
