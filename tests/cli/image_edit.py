#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Edits a table image as a forger would (issue 15, class image_untrusted): detaches the NIC-level
NSG of the first vport that has one - clearing only its valid bit (`valid`) or the valid bit and
the NSG id (`both`) - then rewrites the length and the CRC so the checksum no longer tells.
Usage: image_edit.py IN OUT valid|both   (layout: docs/compiler.md "Image")"""
import struct
import sys
import zlib

HDR_WORDS = 16
RULE_KEY_WORDS, LABEL_KEY_WORDS, LABEL_RES_WORDS, PLAT_KEY_WORDS, PORT_CLASSES = 8, 5, 3, 3, 4
NIC_NSG_LSB, NIC_NSG_W, NIC_NSG_VALID_LSB = 11, 10, 21


def main():
    src, dst, mode = sys.argv[1:4]
    img = bytearray(open(src, "rb").read())
    h = struct.unpack_from("<%dI" % HDR_WORDS, img, 0)
    rules, labels, plats, vports = h[5], h[6], h[7], h[8]
    off = 4 * (HDR_WORDS + rules * (2 * RULE_KEY_WORDS + 2) +
               labels * (2 * LABEL_KEY_WORDS + LABEL_RES_WORDS + 1) +
               plats * (2 * PLAT_KEY_WORDS + 2) + 2 * PORT_CLASSES)
    for v in range(vports):
        (w0,) = struct.unpack_from("<I", img, off + 16 * v)
        if w0 >> NIC_NSG_VALID_LSB & 1:
            w0 &= ~(1 << NIC_NSG_VALID_LSB)
            if mode == "both":
                w0 &= ~(((1 << NIC_NSG_W) - 1) << NIC_NSG_LSB)
            struct.pack_into("<I", img, off + 16 * v, w0)
            break
    else:
        sys.exit("no vport with a NIC NSG")
    struct.pack_into("<I", img, 12, len(img))
    # the CRC covers the whole image with its own word read as zero (image version 3)
    struct.pack_into("<I", img, 16, 0)
    struct.pack_into("<I", img, 16, zlib.crc32(bytes(img)) & 0xffffffff)
    open(dst, "wb").write(img)


if __name__ == "__main__":
    main()
