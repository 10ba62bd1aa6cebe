# Every dependency comes from a Debian 12 package (see scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
pkg_check_modules(VIPS REQUIRED IMPORTED_TARGET vips-cpp>=8.14)
# libjpeg-turbo, also directly: the JPEG decoder beside libvips' (src/imaging/jpeg_direct.*).
pkg_check_modules(JPEG REQUIRED IMPORTED_TARGET libjpeg>=2.1)
# libdeflate: the PNG decoder beside libvips' (src/imaging/png_direct.*) inflates with it.
pkg_check_modules(DEFLATE REQUIRED IMPORTED_TARGET libdeflate>=1.14)
# libwebp, also directly: the still-WebP path beside libvips' webpload (src/imaging/webp_direct.*).
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp>=1.2 libwebpdemux>=1.2)
# Little CMS, which libvips colour-manages with: telling sRGB profiles apart (srgb_profile.*).
pkg_check_modules(LCMS2 REQUIRED IMPORTED_TARGET lcms2>=2.14)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
# libzip: the ZIP of a batch's results (src/archive/); 1.7.3 in Debian 12.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip>=1.7)
find_package(Boost 1.81 REQUIRED COMPONENTS program_options)
find_package(nlohmann_json 3.11 REQUIRED)
# Native TLS (--tls-cert) and the tests' certificates: libssl-dev.
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
