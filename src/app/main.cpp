// image-resize: one binary, three modes (app/entry.h).
#include "app/entry.h"

int main(int argc, char** argv) { return image_resize::app::run_program(argc, argv); }
