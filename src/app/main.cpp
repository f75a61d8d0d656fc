// The iamlocal executable; everything it does is in app/application.cpp.
#include "iamlocal/app/application.h"

int main(int argc, char** argv) { return iamlocal::app::runMain(argc, argv); }
