#!/usr/bin/env bash
# Writes the hand-made seeds of fuzz/corpus/{jpeg,png,webp}_direct/seed_*: small JPEGs, PNGs and
# WebPs of every kind the direct decoders take or decline, made with the vips command
# (libvips-tools), plus the test fixtures, each behind the byte its target reads first (the
# shrink, the PNG target's flags, the WebP target's size). Other files in the corpora are left
# alone. Run from anywhere: fuzz/make_image_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus/jpeg_direct
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"

seed() {  # $1: name, $2: first byte (0..255), $3: image file; into $out
  { printf "\\x$(printf %02x "$2")"; cat "$3"; } >"$out/seed_$1"
}
# A small photo-like picture: noise over a ramp, colour and grey.
vips gaussnoise "$scratch/noise.v" 67 45 --sigma 40 --seed 5
vips linear "$scratch/noise.v" "$scratch/lifted.v" 1 128 --uchar
vips bandjoin "$scratch/lifted.v $scratch/lifted.v $scratch/lifted.v" "$scratch/rgb.v"
vips copy "$scratch/rgb.v" "$scratch/srgb.v" --interpretation srgb
vips copy "$scratch/lifted.v" "$scratch/grey.v" --interpretation b-w

jpeg() {  # $1: name, $2: image, then jpegsave options
  local name=$1 image=$2
  shift 2
  vips jpegsave "$image" "$scratch/$name.jpg" "$@"
}
jpeg colour "$scratch/srgb.v" --Q 80
jpeg grey "$scratch/grey.v" --Q 80
jpeg q100_444 "$scratch/srgb.v" --Q 100 --subsample-mode off
jpeg optimized "$scratch/srgb.v" --Q 50 --optimize-coding
jpeg restarts "$scratch/srgb.v" --Q 80 --restart-interval 1
jpeg progressive "$scratch/srgb.v" --Q 80 --interlace
vips black "$scratch/one.v" 1 1 --bands 3
vips copy "$scratch/one.v" "$scratch/one_srgb.v" --interpretation srgb
jpeg one_pixel "$scratch/one_srgb.v" --Q 80

for shrink in 0 1 2 3; do
  seed "colour_shrink$((1 << shrink))" "$shrink" "$scratch/colour.jpg"
done
seed grey 1 "$scratch/grey.jpg"
seed grey_shrink8 3 "$scratch/grey.jpg"
seed q100_444 0 "$scratch/q100_444.jpg"
seed q100_444_shrink2 1 "$scratch/q100_444.jpg"
seed optimized 2 "$scratch/optimized.jpg"
seed restarts 1 "$scratch/restarts.jpg"
seed progressive 0 "$scratch/progressive.jpg"
seed one_pixel 3 "$scratch/one_pixel.jpg"
# Cut short, and scribbled over in the middle of the entropy-coded data.
head -c 700 "$scratch/colour.jpg" >"$scratch/cut.jpg"
seed cut 0 "$scratch/cut.jpg"
size=$(stat -c %s "$scratch/colour.jpg")
{ head -c $((size / 2)) "$scratch/colour.jpg"; printf '\xff\xd9\x00\x13'; tail -c +$((size / 2 + 5)) "$scratch/colour.jpg"; } >"$scratch/scribbled.jpg"
seed scribbled 1 "$scratch/scribbled.jpg"
head -c 200 "$scratch/colour.jpg" >"$scratch/header_only.jpg"
seed header_only 0 "$scratch/header_only.jpg"
for fixture in photo orientation_6 cmyk progressive truncated; do
  seed "fixture_$fixture" 2 "tests/fixtures/images/$fixture.jpg"
done
printf '\x00' >"$out/seed_empty"
echo "make_image_seeds.sh: $(find "$out" -name 'seed_*' | wc -l) seeds in $out"

out=fuzz/corpus/png_direct
mkdir -p "$out"
vips bandjoin "$scratch/srgb.v $scratch/lifted.v" "$scratch/rgba.v"
vips bandjoin "$scratch/grey.v $scratch/lifted.v" "$scratch/grey_alpha.v"
png() {  # $1: name, $2: image, then pngsave options
  local name=$1 image=$2
  shift 2
  vips pngsave "$image" "$scratch/$name.png" --strip "$@"
}
for filter in none sub up avg paeth all; do
  png "rgba_$filter" "$scratch/rgba.v" --filter "$filter"
  seed "rgba_$filter" 3 "$scratch/rgba_$filter.png"
done
png rgb "$scratch/srgb.v" --filter all
seed rgb 2 "$scratch/rgb.png"
png grey "$scratch/grey.v" --filter all
seed grey 0 "$scratch/grey.png"
png grey_alpha "$scratch/grey_alpha.v" --filter all
seed grey_alpha 3 "$scratch/grey_alpha.png"
seed grey_alpha_straight 0 "$scratch/grey_alpha.png"
png interlaced "$scratch/rgba.v" --interlace
seed interlaced 1 "$scratch/interlaced.png"
png palette "$scratch/srgb.v" --palette
seed palette 0 "$scratch/palette.png"
png one_pixel "$scratch/one_srgb.v"
seed one_pixel 0 "$scratch/one_pixel.png"
head -c 300 "$scratch/rgba_paeth.png" >"$scratch/cut.png"
seed cut 1 "$scratch/cut.png"
for fixture in alpha rgb16 truncated display_p3 bomb; do
  seed "fixture_$fixture" 3 "tests/fixtures/images/$fixture.png"
done
printf '\x01' >"$out/seed_empty"
echo "make_image_seeds.sh: $(find "$out" -name 'seed_*' | wc -l) seeds in $out"

out=fuzz/corpus/webp_direct
mkdir -p "$out"
webp() {  # $1: name, $2: image, then webpsave options
  local name=$1 image=$2
  shift 2
  vips webpsave "$image" "$scratch/$name.webp" "$@"
}
webp lossy "$scratch/srgb.v" --Q 80
webp lossy_alpha "$scratch/rgba.v" --Q 80
webp lossless "$scratch/srgb.v" --lossless
webp lossless_alpha "$scratch/rgba.v" --lossless
webp one_pixel "$scratch/one_srgb.v"
for share in 0 32 64 128 200 254 255; do
  seed "lossy_share$share" "$share" "$scratch/lossy.webp"
done
for share in 30 255; do
  seed "lossy_alpha_share$share" "$share" "$scratch/lossy_alpha.webp"
  seed "lossless_share$share" "$share" "$scratch/lossless.webp"
  seed "lossless_alpha_share$share" "$share" "$scratch/lossless_alpha.webp"
done
seed one_pixel 255 "$scratch/one_pixel.webp"
seed one_pixel_share0 0 "$scratch/one_pixel.webp"
head -c 300 "$scratch/lossy.webp" >"$scratch/cut.webp"
seed cut 128 "$scratch/cut.webp"
for fixture in photo animated; do
  seed "fixture_$fixture" 100 "tests/fixtures/images/$fixture.webp"
done
seed fixture_photo_whole 255 tests/fixtures/images/photo.webp
printf '\x80' >"$out/seed_empty"
echo "make_image_seeds.sh: $(find "$out" -name 'seed_*' | wc -l) seeds in $out"
