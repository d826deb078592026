"""Writes the hand-made hostile inputs of issue 12 as regression fixtures (Tests/Fixtures/fuzz/<reader>/error-*).

Run: python3 scripts/dev/make_hostile_fixtures.py Tests/Fixtures/fuzz
Each file is one input class the readers once trapped or ran away on; FuzzReplayTests requires every `error-*`
fixture to end in a thrown error, and every fixture to end without a trap. Lone surrogate escapes in tokenizer.json
decode to U+FFFD (as Python and Rust do), so those fixtures carry no `error-` prefix.
Uses only the standard library (torch files are built as STORED zips by hand, as torch.save writes them).
"""
import json
import os
import struct
import sys

out = sys.argv[1]


def write(reader, name, data, expect_error=True):
    """An `error-` fixture must end in a thrown error; others (lossy but valid input) only must not trap."""
    folder = os.path.join(out, reader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ("error-" if expect_error else "") + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# --- GGUF -------------------------------------------------------------------------------------------------------
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(tensors, metadata=b"", key_count=0):
    """tensors: list of (name, dims, type, offset)."""
    body = struct.pack("<IIQQ", 0x46554747, 3, len(tensors), key_count) + metadata
    for name, dims, ttype, offset in tensors:
        body += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        body += struct.pack("<IQ", ttype, offset)
    body += b"\0" * (-len(body) % 32)
    return body + b"\0" * 64


write("gguf", "misaligned-offset-near-2^63.gguf", gguf([("t", [4], 0, 2**63 - 1)]))
write("gguf", "offset-2^63-minus-32.gguf", gguf([("t", [8], 0, 2**63 - 32)]))
write("gguf", "dims-product-overflow.gguf", gguf([("t", [2**32, 2**32, 2**32], 0, 0)]))
write("gguf", "array-length-2^62.gguf", gguf([], gguf_string("a") + struct.pack("<IIQ", 9, 4, 2**62), 1))
write("gguf", "string-length-2^64-1.gguf", gguf([], gguf_string("s")[:-1] + struct.pack("<I", 8) + struct.pack("<Q", 2**64 - 1), 1))
write("gguf", "key-count-2^63-1.gguf", struct.pack("<IIQQ", 0x46554747, 3, 0, 2**63 - 1) + b"\0" * 32)
nested = b""
for _ in range(40):
    nested += struct.pack("<IQ", 9, 1)  # array of 1 array ...
write("gguf", "arrays-nested-40-deep.gguf", gguf([], gguf_string("n") + struct.pack("<I", 9) + nested + struct.pack("<IQ", 4, 0), 1))

# --- tokenizer.json ---------------------------------------------------------------------------------------------
base = {"version": "1.0", "added_tokens": [], "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None, "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "vocab": {"a": 0, "b": 1}, "merges": []}}
write("tokenizer", "nested-60000-deep.json", "[" * 60000 + "]" * 60000)
write("tokenizer", "nested-60000-deep-object.json", '{"a":' * 60000 + "1" + "}" * 60000)
t = json.loads(json.dumps(base)); t["model"]["vocab"] = {"a": 0, "b": 10**14}
write("tokenizer", "vocab-id-1e14.json", json.dumps(t))
t = json.loads(json.dumps(base)); t["added_tokens"] = [{"id": 10**14, "content": "x", "special": True}]
write("tokenizer", "added-token-id-1e14.json", json.dumps(t))
text = json.dumps(base).replace('"a": 0', '"\\ud800\\u0041": 0')
write("tokenizer", "lone-high-surrogate.json", text, expect_error=False)
text = json.dumps(base).replace('"a": 0', '"\\ud800": 0')
write("tokenizer", "lone-high-surrogate-at-end.json", expect_error=False, data=text.replace('"b": 1', '"b": 1, "\\udbff\\u": 2'))

# --- config.json (JSON level) -----------------------------------------------------------------------------------
write("config", "nested-60000-deep.json", "[" * 60000 + "]" * 60000)
write("config", "lone-high-surrogate.json", '{"model_type": "\\ud800x"}')
write("config", "lone-low-surrogate.json", '{"model_type": "\\udc00"}')


# --- torch.save (.pt) -------------------------------------------------------------------------------------------
def stored_zip(members, zip64_counts=None):
    """members: list of (name, bytes). zip64_counts: (count, size, offset) forced into a zip64 record."""
    local, central = b"", b""
    for name, data in members:
        n = name.encode()
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, len(data), len(data), len(n), 0) + n + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, len(data), len(data),
                               len(n), 0, 0, 0, 0, 0, offset) + n
    directory_offset = len(local)
    if zip64_counts:
        count, size, off = zip64_counts
        record_at = directory_offset + len(central)
        record = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, size, off)
        locator = struct.pack("<IIQI", 0x07064B50, 0, record_at, 1)
        eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
        return local + central + record + locator + eocd
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), directory_offset, 0)
    return local + central + eocd


def pickle_tensor(storage_class, key, numel, offset, shape, stride):
    p = b"\x80\x02"
    p += b"ctorch._utils\n_rebuild_tensor_v2\n"
    p += b"((X\x07\x00\x00\x00storage" + b"ctorch\n" + storage_class.encode() + b"\n"
    p += b"X" + struct.pack("<I", len(key)) + key.encode() + b"X\x03\x00\x00\x00cpu"
    p += b"\x8a\x08" + struct.pack("<q", numel) + b"tQ"
    p += b"\x8a\x08" + struct.pack("<q", offset)
    p += b"(" + b"".join(b"\x8a\x08" + struct.pack("<q", d) for d in shape) + b"t"
    p += b"(" + b"".join(b"\x8a\x08" + struct.pack("<q", d) for d in stride) + b"t"
    p += b"\x89ccollections\nOrderedDict\n)RtR"
    return p


def torch_file(pickle_body, storages=(), root="archive"):
    members = [(root + "/data.pkl", pickle_body + b"."), (root + "/byteorder", b"little")]
    members += [(root + "/data/" + k, v) for k, v in storages]
    return stored_zip(members)


def counts_dict(tensor_pickle):
    return b"\x80\x02}(X\x0c\x00\x00\x00total_tokensK\x05X\x09\x00\x00\x00over_zero" + tensor_pickle + b"u"


eight = struct.pack("<8q", *range(8))
write("torch", "shape-product-overflow.pt", torch_file(counts_dict(pickle_tensor("LongStorage", "0", 8, 0, [2**32, 2**32], [1, 1]))[2:] and
      b"\x80\x02" + counts_dict(pickle_tensor("LongStorage", "0", 8, 0, [2**32, 2**32], [1, 1]))[2:].replace(b"\x80\x02", b""), [("0", eight)]))
write("torch", "stride-overflow.pt", torch_file(counts_dict(pickle_tensor("LongStorage", "0", 8, 0, [2, 4], [2**62, 1])).replace(b"\x80\x02", b"", 1), [("0", eight)]))
write("torch", "offset-2^63-1.pt", torch_file(counts_dict(pickle_tensor("LongStorage", "0", 8, 2**63 - 1, [2, 4], [4, 1])).replace(b"\x80\x02", b"", 1), [("0", eight)]))
write("torch", "storage-numel-2^62.pt", torch_file(counts_dict(pickle_tensor("LongStorage", "0", 2**62, 0, [2, 4], [4, 1])).replace(b"\x80\x02", b"", 1), [("0", eight)]))
write("torch", "storage-numel-negative.pt", torch_file(counts_dict(pickle_tensor("LongStorage", "0", -8, 0, [2, 4], [4, 1])).replace(b"\x80\x02", b"", 1), [("0", eight)]))
write("torch", "broadcast-2^40-elements.pt", torch_file(counts_dict(pickle_tensor("LongStorage", "0", 8, 0, [2**20, 2**20], [0, 0])).replace(b"\x80\x02", b"", 1), [("0", eight)]))
valid = torch_file(counts_dict(pickle_tensor("LongStorage", "0", 8, 0, [2, 4], [4, 1])).replace(b"\x80\x02", b"", 1), [("0", eight)])
write("torch", "zip64-fields-2^63.pt", stored_zip([("archive/data.pkl", b"N.")], zip64_counts=(2**63, 2**63, 2**63)))
write("torch", "zip64-count-2^62.pt", stored_zip([("archive/data.pkl", b"N.")], zip64_counts=(2**62, 46, 0)))
write("torch", "self-containing-list.pt", torch_file(b"\x80\x02]q\x00h\x00a"))
write("torch", "lists-nested-100000-deep.pt", torch_file(b"\x80\x02" + b"]" * 100000 + b"a" * 99999))
write("torch", "memo-doubling-2^60.pt", torch_file(b"\x80\x02N" + b"q\x00h\x00\x86" * 60))
write("torch", "binunicode8-length-2^63.pt", torch_file(b"\x80\x02\x8d" + struct.pack("<Q", 2**63)))
mask_layer = b"]" + pickle_tensor("LongStorage", "0", 1, 0, [1], [1])[2:] + b"a"   # [tensor([2^63 - 1])]
write("torch", "masks-index-2^63-1.pt", torch_file(b"\x80\x02](" + mask_layer * 7 + b"e", [("0", struct.pack("<q", 2**63 - 1))]))

# --- statistics (.safetensors) ----------------------------------------------------------------------------------
def safetensors(tensors, metadata):
    header, data = {"__metadata__": metadata}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


big = 2**63 - 2
write("statistics", "counts-overflow-on-merge.safetensors", safetensors(
    [("over_zero", "I64", [1, 2], struct.pack("<2q", big, 1)), ("total_tokens", "I64", [1], struct.pack("<q", big))],
    {"format": "lna.activation-statistics/1", "language": "en", "layers": "1", "width": "2"}))
write("statistics", "total-overflow-on-merge.safetensors", safetensors(
    [("over_zero", "I64", [1, 2], struct.pack("<2q", 1, 1)), ("total_tokens", "I64", [1], struct.pack("<q", big))],
    {"format": "lna.activation-statistics/1", "language": "en", "layers": "1", "width": "2"}))

# --- masks ------------------------------------------------------------------------------------------------------
write("masks", "width-2^31.json", json.dumps({"format": "lna.masks/1", "languages": ["en", "zh"], "layers": 2,
                                               "width": 2**31, "masks": {"en": [[0], [2**31 - 1]], "zh": [[], [5]]}}))
write("masks", "layers-times-width-overflow.json", json.dumps({"languages": ["en"], "layers": 2**40, "width": 2**40,
                                                               "masks": {"en": []}}))
write("masks", "width-2^31.safetensors", safetensors(
    [("mask.en", "I64", [2], struct.pack("<2q", 0, 2**31)), ("appear", "I64", [2], struct.pack("<2q", 0, 2))],
    {"format": "lna.masks/1", "languages": "en", "layers": "2", "width": str(2**31)}))
write("masks", "layers-times-width-overflow.safetensors", safetensors(
    [("mask.en", "I64", [1], struct.pack("<q", 0)), ("appear", "I64", [2], struct.pack("<2q", 0, 1))],
    {"format": "lna.masks/1", "languages": "en", "layers": str(2**40), "width": str(2**40)}))
masks_pt = open(os.path.join(out, "torch", "error-masks-index-2^63-1.pt"), "rb").read()
write("masks", "index-2^63-1.pth", masks_pt)

# --- datasets ---------------------------------------------------------------------------------------------------
write("dataset", "njunlp-nested-60000-deep.json", "[" * 60000 + "]" * 60000)
write("dataset", "msvamp-nested-60000-deep.json", '{"m_query": ' + "[" * 60000 + "]" * 60000 + "}")
write("dataset", "sib200-unclosed-quote.tsv", 'index_id\tcategory\ttext\n1\tscience\t"never closed\n')
