// ReadOnlyFolder: makes a folder read-only for this process and its children for the lifetime of
// the object, for the tests of a read-only catalog folder. A plain chmod does not stop root (the
// test machines run as root), so as root the folder is also made immutable (FS_IMMUTABLE_FL, what
// `chattr +i` sets), which stops every process. ok() is false, with why(), where neither works
// (root without CAP_LINUX_IMMUTABLE, or a file system without the flag).
#pragma once

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace qc::test {

class ReadOnlyFolder {
public:
    explicit ReadOnlyFolder(const std::string& folder) : folder_(folder) {
        ::chmod(folder_.c_str(), 0555);
        if (::access(folder_.c_str(), W_OK) != 0) {
            ok_ = true;
            return;
        }
        if (!setImmutable(true)) return;
        immutable_ = true;
        ok_ = ::access(folder_.c_str(), W_OK) != 0;
        if (!ok_) why_ = "the immutable flag did not make '" + folder_ + "' read-only";
    }
    ~ReadOnlyFolder() {
        if (immutable_) setImmutable(false);
        ::chmod(folder_.c_str(), 0755);
    }
    ReadOnlyFolder(const ReadOnlyFolder&) = delete;
    ReadOnlyFolder& operator=(const ReadOnlyFolder&) = delete;

    bool ok() const { return ok_; }
    const std::string& why() const { return why_; }

private:
    bool setImmutable(bool on) {
        const int fd = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY);
        if (fd < 0) {
            why_ = "cannot open '" + folder_ + "': " + std::strerror(errno);
            return false;
        }
        int flags = 0;
        bool done = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
        if (done) {
            flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
            done = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
        }
        if (!done)
            why_ = "running as root, and '" + folder_ +
                   "' cannot be made immutable (chattr +i): " + std::strerror(errno);
        ::close(fd);
        return done;
    }

    std::string folder_;
    bool ok_ = false, immutable_ = false;
    std::string why_;
};

}  // namespace qc::test
