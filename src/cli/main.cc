#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) { return karpenter::cli::RunApp(argc, argv, std::cout, std::cerr); }
