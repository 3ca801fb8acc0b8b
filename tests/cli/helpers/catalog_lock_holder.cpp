// qci-catalog-lock-holder CATALOG: a second process that holds the catalog's write lock, for the
// tests of a locked catalog. It opens the SQLite file, takes the write lock (BEGIN EXCLUSIVE;
// in WAL mode that stops every other writer), prints "locked" and keeps the lock until its
// standard input closes, then rolls back and exits 0. Exit 1, with the reason, if it cannot.
#include <sqlite3.h>

#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: qci-catalog-lock-holder CATALOG\n");
        return 2;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "qci-catalog-lock-holder: '%s': %s\n", argv[1],
                     db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return 1;
    }
    std::printf("locked\n");
    std::fflush(stdout);
    for (std::string line; std::getline(std::cin, line);) {
    }
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return 0;
}
