"""The model's arrays read in place from the bytes Redis returns (`.npy`, uncompressed `.npz`), never copied.

`np.load` and `sparse.load_npz` copy every array out of the buffer they read; at ten times the
catalogue that doubles a worker's memory while it loads a version. Here each array is a read-only
view of the bytes object itself, which the arrays keep alive: the model costs the size of its
Redis fields and nothing more. The arrays may be unaligned (a zip member starts wherever the one
before it ended); numpy and scipy read them as they are.
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib import format as npy_format
from scipy import sparse

# A zip member's local header: signature, then fixed fields up to the name and extra lengths.
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
# An `.npy` header is at most 65,535 bytes after its 10- or 12-byte preamble (format 1.0 / 2.0+).
_HEADER_LIMIT = 65_535 + 12


def npy_view(raw: bytes, start: int = 0, size: int | None = None) -> npt.NDArray[Any]:
    """The array stored as `.npy` in `raw[start:start + size]`, as a read-only view of `raw`."""
    end = len(raw) if size is None else start + size
    head = io.BytesIO(memoryview(raw)[start : min(end, start + _HEADER_LIMIT)])
    version = npy_format.read_magic(head)
    if version == (1, 0):
        shape, fortran_order, dtype = npy_format.read_array_header_1_0(head)
    else:
        shape, fortran_order, dtype = npy_format.read_array_header_2_0(head)
    if dtype.hasobject:
        raise ValueError("the array holds Python objects, which are never read from Redis")
    count = int(np.prod(shape, dtype=np.int64))
    offset = start + head.tell()
    if offset + count * dtype.itemsize > end:
        raise ValueError("the array is shorter than its header says")
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
    return flat.reshape(shape, order="F" if fortran_order else "C")


def npz_views(raw: bytes) -> dict[str, npt.NDArray[Any]]:
    """Every array of an uncompressed `.npz` in `raw`, by name (without `.npy`), as views of `raw`."""
    arrays: dict[str, npt.NDArray[Any]] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for member in archive.infolist():
            if member.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"{member.filename} is compressed: it cannot be read in place")
            signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(raw, member.header_offset)
            if signature != _LOCAL_SIGNATURE:
                raise ValueError(f"{member.filename}: not a zip member where the directory says")
            # The local header's extra field may differ from the central directory's (zip64 sizes).
            start = member.header_offset + _LOCAL_HEADER.size + name_length + extra_length
            arrays[member.filename.removesuffix(".npy")] = npy_view(raw, start, member.file_size)
    return arrays


def csr_view(raw: bytes) -> sparse.csr_matrix:
    """The CSR matrix `sparse.save_npz(..., compressed=False)` wrote into `raw`, its arrays views of `raw`.

    Anything else `save_npz` can write (compressed, another sparse format) is loaded the usual
    way, with copies.
    """
    try:
        arrays = npz_views(raw)
    except ValueError:
        arrays = {}
    layout = arrays.get("format")
    if layout is None or layout.tobytes() != b"csr":
        return sparse.load_npz(io.BytesIO(raw)).tocsr().astype(np.float32, copy=False)
    shape = tuple(int(n) for n in arrays["shape"])
    data = arrays["data"].astype(np.float32, copy=False)
    # copy=False: scipy keeps the given arrays (views of `raw`) as the matrix's own.
    return sparse.csr_matrix((data, arrays["indices"], arrays["indptr"]), shape=shape, copy=False)
