#!/usr/bin/env python3
"""Writes the hand-made seeds of fuzz/corpus/<target>/seed_*; the input formats are described
at the top of each fuzz/<target>_fuzzer.cpp. Other files in the corpus (merged from fuzzing
runs, regressions) are left alone. Run from anywhere: python3 fuzz/make_seeds.py"""

from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
LOOKALIKES = b"\r\n--bn\r\n--b\r\r\n-b-d\x00\xff\r\n\r\n--\r\r\n--bnX"


def disposition(name, extra=b""):
    return b'Content-Disposition: form-data; name="' + name + b'"' + extra + b"\r\n"


def body(boundary, parts, preamble=b"", epilogue=b"\r\n"):
    """parts: (raw header lines, data) pairs, as browsers and curl send them."""
    out = preamble
    for headers, data in parts:
        out += b"--" + boundary + b"\r\n" + headers + b"\r\n" + data + b"\r\n"
    return out + b"--" + boundary + b"--" + epilogue


def text(name, value):
    return (disposition(name), value)


def file(data, filename=b"cat.png", content_type=b"image/png"):
    return (disposition(b"file", b'; filename="' + filename + b'"') +
            b"Content-Type: " + content_type + b"\r\n", data)


FULL_FORM = [file(PNG), text(b"width", b"100"), text(b"height", b"50"), text(b"fit", b"cover"),
             text(b"format", b"webp"), text(b"quality", b"85"),
             text(b"background", b"#ff000080"), text(b"priority", b"high")]


def multipart_seeds():
    ct = b"multipart/form-data; boundary=bnd\n"
    bnd = lambda parts, **kw: body(b"bnd", parts, **kw)
    webkit = b"----WebKitFormBoundary7MA4YWxkTrZu0gW"
    curl = b"------------------------d74496d66958873e"
    one_field = b"--bnd\r\n" + disposition(b"a") + b"\r\nvalue"
    seeds = {
        # flags '0' feeds byte by byte; '3' + three sizes cuts the body into chunks of those.
        "browser_full_form": b"0multipart/form-data; boundary=" + webkit + b"\n" +
                             body(webkit, FULL_FORM),
        "browser_full_form_chunks": b"3\x07\x01\x40multipart/form-data; boundary=" + webkit +
                                    b"\n" + body(webkit, FULL_FORM),
        "curl_form": b"1\x10multipart/form-data; boundary=" + curl + b"\n" +
                     body(curl, [file(PNG, b"in.png", b"application/octet-stream"),
                                 text(b"width", b"640")]),
        "quoted_boundary": b'2\x05\x02multipart/form-data; boundary="a b:c?=()+_,-./"\n' +
                           body(b"a b:c?=()+_,-./", [file(PNG), text(b"height", b"10")]),
        "boundary_after_charset": b"0multipart/form-data; charset=utf-8; boundary=xyz\n" +
                                  body(b"xyz", [text(b"width", b"1")]),
        "uppercase_media_type": b"0Multipart/Form-Data; BOUNDARY=AbC\n" +
                                body(b"AbC", [text(b"width", b"1")]),
        "escaped_quoted_boundary": b'0multipart/form-data; boundary="q\\=x"\n' +
                                   body(b"q=x", [text(b"w", b"1")]),
        "boundary_70_chars": b"0multipart/form-data; boundary=" + b"b" * 70 + b"\n" +
                             body(b"b" * 70, [text(b"w", b"1")]),
        "boundary_71_chars_raw": b"0" + b"c" * 71 + b"\n" + body(b"c" * 71, [text(b"w", b"1")]),
        "not_form_data_raw_boundary": b"0application/json\n" +
                                      body(b"application/json", [text(b"w", b"1")]),
        "boundary_missing": b"0multipart/form-data\n" + bnd([text(b"w", b"1")]),
        "boundary_trailing_space": b'0multipart/form-data; boundary="bnd "\n' +
                                   body(b"bnd ", [text(b"w", b"1")]),
        "content_type_unterminated_quote": b'0multipart/form-data; boundary="bnd\n' +
                                           bnd([text(b"w", b"1")]),
        "content_type_param_twice": b"0multipart/form-data; boundary=a; boundary=b\n" +
                                    body(b"a", [text(b"w", b"1")]),
        # Chunk sizes 1 and 2 cut inside every delimiter.
        "delimiter_split_across_chunks": b"2\x01\x02" + ct +
                                         bnd([text(b"a", b"x\r\n--bn"), text(b"b", b"\r\r\n")]),
        "data_with_lookalikes": b"4\x03\x05\x00\x09" + ct +
                                bnd([file(LOOKALIKES, b"x.bin", b"application/octet-stream")]),
        "empty_chunks": b"3\x00\x04\x00" + ct + bnd([text(b"a", b"1"), text(b"b", b"2")]),
        "lf_only_lines": b"0" + ct + b"--bnd\n" + disposition(b"a")[:-2] + b"\n\nv\n--bnd--\n",
        "lone_cr_in_headers": b"0" + ct + b"--bnd\r\nContent-Disposition: form-data;\r name=a\r\n"
                              b"\r\nv\r\n--bnd--",
        "padding_after_boundary": b"0" + ct + b"--bnd \t\r\n" + disposition(b"a") +
                                  b"\r\nv\r\n--bnd--",
        "preamble_and_epilogue": b"1\x0b" + ct + bnd([text(b"a", b"v")],
                                                    preamble=b"ignore me\r\n--bn\r\n",
                                                    epilogue=b"\r\nignored too\r\n--bnd\r\n"),
        "duplicate_fields": b"0" + ct + bnd([text(b"width", b"1"), text(b"width", b"2")]),
        "empty_parts": b"0" + ct + bnd([text(b"a", b""), text(b"b", b""), file(b"")]),
        "no_parts": b"0" + ct + b"--bnd--",
        "empty_body": b"0" + ct,
        "only_preamble": b"0" + ct + b"just text\r\n--bn",
        "unterminated_part": b"0" + ct + one_field + b"\r\n--bn",
        "missing_closing_dashes": b"0" + ct + one_field + b"\r\n--bnd\r\n",
        "junk_after_boundary": b"0" + ct + one_field + b"\r\n--bndX--",
        "junk_after_closing": b"0" + ct + one_field + b"\r\n--bnd--garbage",
        "huge_header_line": b"7\xff\xff\xff\xff\xff\xff\x01" + ct +
                            bnd([(disposition(b"a") + b"X-Long: " + b"h" * 8300 + b"\r\n", b"v")]),
        "tight_header_limit": b"8" + ct + bnd([(disposition(b"a") + b"X-Padding: 12345678\r\n",
                                                 b"v")]),
        "too_many_parts": b"1\x20" + ct + bnd([text(b"f%d" % i, b"%d" % i) for i in range(33)]),
        "tight_part_limit": b"9\x05" + ct + bnd([text(b"f%d" % i, b"v") for i in range(4)]),
        "filename_ext_value": b"0" + ct + bnd([(disposition(
            b"file", b"; filename=\"fallback.png\"; filename*=UTF-8''%E2%82%AC%20rates.png"),
            PNG)]),
        "escaped_quotes_in_name": b"0" + ct + bnd([(b'Content-Disposition: form-data; '
                                                   b'name="a\\"b\\\\c"; filename="x\\".png"\r\n',
                                                   b"v")]),
        "bare_token_name": b"0" + ct + bnd([(b"content-disposition: FORM-DATA;name=width\r\n",
                                             b"12")]),
        "missing_disposition": b"0" + ct + bnd([(b"Content-Type: text/plain\r\n", b"v")]),
        "two_dispositions": b"0" + ct + bnd([(disposition(b"a") + disposition(b"b"), b"v")]),
        "two_content_types": b"0" + ct + bnd([(disposition(b"a") + b"Content-Type: a/b\r\n"
                                               b"Content-Type: c/d\r\n", b"v")]),
        "header_without_colon": b"0" + ct + bnd([(disposition(b"a") + b"NoColonHere\r\n", b"v")]),
        "header_control_char": b"0" + ct + bnd([(disposition(b"a") + b"X-Y: a\x01b\r\n", b"v")]),
        "folded_header": b"0" + ct + bnd([(disposition(b"a") + b" continued\r\n", b"v")]),
        "disposition_not_form_data": b"0" + ct + bnd([(b"Content-Disposition: attachment; "
                                                       b"name=a\r\n", b"v")]),
        "disposition_empty_name": b"0" + ct + bnd([(b'Content-Disposition: form-data; '
                                                    b'name=""\r\n', b"v")]),
        "disposition_param_errors": b"0" + ct + bnd([(b"Content-Disposition: form-data; name; "
                                                      b"=x; name=a b\r\n", b"v")]),
        "dashes_boundary": b"0multipart/form-data; boundary=--\n" + body(b"--", [text(b"a", b"-")]),
        # Flags '@'.. make parts with these names fail in the handler.
        "handler_fails_at_begin": b"@" + ct + bnd([text(b"a", b"1"), text(b"fail-begin", b"2")]),
        "handler_fails_at_data": b"A\x03" + ct + bnd([text(b"fail-data", b"abc\r\n--bn")]),
        "handler_fails_at_end": b"B\x02\x09" + ct + bnd([text(b"fail-end", b""),
                                                        text(b"b", b"2")]),
    }
    return seeds


def form(fields):
    return b"&".join(fields)


FILE = b"file;cat.png=" + PNG.replace(b"&", b"")


def resize_form_seeds():
    return {
        "full_form": form([FILE, b"width=100", b"height=50", b"fit=cover", b"format=webp",
                           b"quality=85", b"background=#ff000080", b"priority=high"]),
        "width_only": form([FILE, b"width=100"]),
        "height_only": form([b"height=50", FILE]),
        "max_sizes": form([FILE, b"width=10000", b"height=10000"]),
        "width_over_max": form([FILE, b"width=10001"]),
        "width_zero": form([FILE, b"width=0"]),
        "leading_zeros": form([FILE, b"width=0000080", b"quality=0100"]),
        "huge_number": form([FILE, b"width=99999999999999999999"]),
        "int_max": form([FILE, b"width=2147483647", b"height=2147483648"]),
        "signed_and_spaced": form([FILE, b"width=-5", b"height=+5"]),
        "fraction_and_exponent": form([FILE, b"width=5.0", b"height=1e3"]),
        "space_in_number": form([FILE, b"width= 5"]),
        "no_size": form([FILE, b"fit=inside"]),
        "empty_sizes": form([FILE, b"width=", b"height"]),
        "fit_cases": form([FILE, b"width=1", b"fit=CONTAIN", b"background=#AABBCC"]),
        "fit_unknown": form([FILE, b"width=1", b"fit=stretch"]),
        "format_aliases": form([FILE, b"width=1", b"format=JPG"]),
        "format_tif": form([FILE, b"width=1", b"format=tif", b"priority=LOW"]),
        "format_unknown": form([FILE, b"width=1", b"format=bmp"]),
        "quality_bounds": form([FILE, b"width=1", b"quality=1"]),
        "quality_zero": form([FILE, b"width=1", b"quality=0"]),
        "quality_over": form([FILE, b"width=1", b"quality=101"]),
        "quality_text": form([FILE, b"width=1", b"quality=high"]),
        "background_short": form([FILE, b"width=1", b"background=#abc"]),
        "background_bad_hex": form([FILE, b"width=1", b"background=#gg0000"]),
        "background_no_hash": form([FILE, b"width=1", b"background=ff0000"]),
        "priority_unknown": form([FILE, b"width=1", b"priority=urgent"]),
        "duplicate_width": form([FILE, b"width=1", b"width=2"]),
        "duplicate_file": form([FILE, FILE, b"width=1"]),
        "duplicate_unknown_field": form([FILE, b"x=1", b"x=2", b"width=3"]),
        "no_file": form([b"width=1", b"height=2"]),
        "empty_file": form([b"file;empty.png=", b"width=1"]),
        "url_instead_of_file": form([b"url=http://example.com/a.jpg", b"width=1"]),
        "url_and_file": form([FILE, b"url=http://example.com/a.jpg", b"width=1"]),
        "url_with_empty_file": form([b"file;empty.png=", b"url=https://example.com/", b"width=1"]),
        "url_too_long": form([b"url=http://e.com/" + b"a" * 4090, b"width=1"]),
        "callback_url": form([FILE, b"width=1", b"callback_url=https://example.com/hook"]),
        "duplicate_url": form([b"url=http://a/", b"url=http://b/", b"width=1"]),
        "file_without_filename": form([b"file=GIF89a", b"width=1"]),
        "empty_optional_fields": form([FILE, b"width=7", b"fit=", b"format=", b"quality=",
                                       b"background=", b"priority="]),
        "every_error_at_once": form([b"width=x", b"fit=x", b"format=x", b"quality=x",
                                     b"background=x", b"priority=x", b"gravity=x", b"dpr=x",
                                     b"progressive=x", b"lossless=x", b"strip=x", b"crop=x"]),
        "empty_records": form([b"", b"=orphan", FILE, b"", b"width=5"]),
        "new_options": form([FILE, b"width=100", b"height=50", b"fit=cover",
                             b"gravity=Attention", b"dpr=2", b"progressive=true",
                             b"lossless=FALSE"]),
        "gravity_compass": form([FILE, b"width=1", b"fit=cover", b"gravity=northeast"]),
        "gravity_center": form([FILE, b"width=1", b"gravity=CENTER"]),
        "gravity_unknown": form([FILE, b"width=1", b"gravity=top-left"]),
        "dpr_at_limit": form([FILE, b"width=2500", b"height=1", b"dpr=4"]),
        "dpr_over_limit": form([FILE, b"width=10", b"height=5001", b"dpr=2"]),
        "dpr_fraction": form([FILE, b"width=1", b"dpr=1.5"]),
        "dpr_zero": form([FILE, b"width=1", b"dpr=0"]),
        "flags_bad": form([FILE, b"width=1", b"progressive=yes", b"lossless=1"]),
        "new_options_empty": form([FILE, b"width=1", b"gravity=", b"dpr=", b"progressive=",
                                   b"lossless=", b"strip=", b"crop="]),
        "crop_and_strip": form([FILE, b"width=10", b"crop=0,10,300,200", b"strip=FALSE"]),
        "crop_at_the_limit": form([FILE, b"width=1", b"crop=1073741824,0,1,1"]),
        "crop_over_the_limit": form([FILE, b"width=1", b"crop=1073741825,0,1,1"]),
        "crop_leading_zeros": form([FILE, b"width=1", b"crop=0000000001,0,1,1"]),
        "crop_bad": form([FILE, b"width=1", b"crop=1,2,3", b"strip=no"]),
        "crop_zero_size": form([FILE, b"width=1", b"crop=0,0,0,1"]),
        "format_auto_and_jxl": form([FILE, b"width=1", b"format=AUTO"]),
        "format_jxl": form([FILE, b"width=1", b"format=jxl"]),
    }


def query_seeds():
    uuid = b"/api/v1/status/3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f"
    return {
        "status_wait": uuid + b"?wait=5",
        "status_no_query": uuid,
        "wait_max": b"/s?wait=30",
        "wait_over": b"/s?wait=31",
        "wait_leading_zeros": b"/s?wait=00030",
        "wait_encoded": b"/s?wait=%33%30",
        "wait_negative": b"/s?wait=-1",
        "wait_plus": b"/s?wait=%2B1",
        "wait_space": b"/s?wait=+5",
        "wait_fraction": b"/s?wait=1.5",
        "wait_huge": b"/s?wait=99999999999999999999999",
        "wait_empty": b"/s?wait=",
        "wait_without_value": b"/s?wait",
        "wait_twice": b"/s?wait=1&wait=2",
        "wait_twice_encoded_name": b"/s?wait=1&w%61it=2",
        "bare_number": b"17",
        "fragment": b"/s?wait=3#frag?wait=9",
        "fragment_before_query": b"/s#f?wait=1",
        "empty_segments": b"/s?a=1&&b=2&",
        "empty_name": b"/s?=1&b",
        "plus_as_space": b"/s?a+b=c+d%2B",
        "bad_escape": b"/s?%zz=1",
        "truncated_escape": b"/s?a=%4",
        "percent_at_end": b"/s?a=%",
        "encoded_separators": b"/s?a%26b=c%3Dd&e=%23",
        "raw_bytes": b"/s?\x00=\xff&\r\n=1",
        "only_question_mark": b"?",
        "path_with_encoded_slash": b"/api/v1/images/result/a%2Fb?x=1",
    }


def outbound_url_seeds():
    return {
        "plain": b"http://example.com/cat.jpg",
        "https_port_query": b"https://images.example.com:8443/a/b.png?w=1&h=2#top",
        "hex_dotted": b"http://0x7f.1/",
        "decimal": b"http://2130706433/",
        "short": b"http://127.1/",
        "octal": b"http://017700000001/",
        "octal_dotted": b"http://0177.0.0.1:8080/x",
        "mapped": b"http://[::ffff:127.0.0.1]/",
        "mapped_hex": b"http://[::ffff:7f00:1]/",
        "mapped_long": b"http://[0:0:0:0:0:ffff:169.254.169.254]/",
        "metadata": b"http://169.254.169.254/latest/meta-data",
        "nat64": b"http://[64:ff9b::a9fe:a9fe]/",
        "sixtofour": b"http://[2002:7f00:1::]/",
        "ula": b"http://[fd12:3456::1]:81/",
        "loopback6": b"http://[::1]/",
        "unspecified6": b"http://[::]/",
        "zero": b"http://0/",
        "userinfo": b"http://user:pw@example.com/",
        "at_trick": b"http://example.com@127.0.0.1/",
        "fragment_trick": b"http://127.0.0.1#@example.com/",
        "zone": b"http://[fe80::1%25eth0]/",
        "trailing_dot": b"http://127.0.0.1./",
        "five_parts": b"http://1.2.3.4.5/",
        "percent_host": b"http://%31%32%37.0.0.1/",
        "file": b"file:///etc/passwd",
        "gopher": b"gopher://127.0.0.1:6379/_INFO",
        "ftp": b"ftp://example.com/x",
        "no_scheme": b"example.com/x",
        "empty_host": b"http:///x",
        "garbage": b"::garbage::",
        "upper": b"HTTP://EXAMPLE.COM:80/%7e",
        "ten_private": b"http://10.0.0.1/",
    }


def write(target, seeds):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (folder / ("seed_" + name)).write_bytes(data)


if __name__ == "__main__":
    write("multipart_parser", multipart_seeds())
    write("resize_form", resize_form_seeds())
    write("query", query_seeds())
    write("outbound_url", outbound_url_seeds())
