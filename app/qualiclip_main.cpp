#include <iostream>
int main() { std::cout << "qualiclip " << QCI_VERSION << "\n"; return 0; }
