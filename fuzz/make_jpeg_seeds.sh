#!/usr/bin/env bash
# Writes the hand-made seeds of fuzz/corpus/jpeg_direct/seed_*: small JPEGs of every kind the
# direct decoder takes or declines, made with the vips command (libvips-tools), plus the test
# fixtures, each behind the byte that picks the shrink (jpeg_direct_fuzzer.cpp). Other files in
# the corpus are left alone. Run from anywhere: fuzz/make_jpeg_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus/jpeg_direct
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"

seed() {  # $1: name, $2: shrink byte (0..3), $3: JPEG file
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
echo "make_jpeg_seeds.sh: $(find "$out" -name 'seed_*' | wc -l) seeds in $out"
