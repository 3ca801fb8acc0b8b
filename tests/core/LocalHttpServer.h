// A tiny HTTP/1.1 server on 127.0.0.1 for download tests, inside the test process: each path
// gets a handler that sees the request (headers, how many came before) and returns a response,
// which may be cut short after some body bytes to play a dropped connection. One request per
// connection. Runs on the thread that creates it, served by whatever event loop runs there
// (the downloader's own loop does). Never listens on anything but the loopback address.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace qc::test {

class LocalHttpServer {
public:
    struct Request {
        QByteArray method, path;
        QMap<QByteArray, QByteArray> headers;  // names in lower case
    };
    struct Response {
        int status = 200;
        QByteArray reason = "OK";
        std::vector<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 contentLength = -1;  // -1: body.size()
        qint64 cutAfter = -1;       // send only this many body bytes, then close
    };
    using Handler = std::function<Response(const Request&, int index)>;  // index: 0 for the first request to this path

    LocalHttpServer() {
        server_->listen(QHostAddress::LocalHost, 0);
        QObject::connect(server_.get(), &QTcpServer::newConnection, server_.get(), [this] {
            while (QTcpSocket* socket = server_->nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0) return;
                    answer(socket, parse(buffer->left(end)));
                    buffer->clear();
                });
            }
        });
    }

    bool listening() const { return server_->isListening(); }
    QString url(const QString& path) const {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(server_->serverPort()).arg(path);
    }
    void route(const QByteArray& path, Handler handler) { routes_[path] = std::move(handler); }
    const std::vector<Request>& requests() const { return requests_; }

    // `bytes` as a file: 206 with Content-Range for a "Range: bytes=N-" request, else 200.
    static Response file(const QByteArray& bytes, const Request& request, bool honourRange = true) {
        Response r;
        r.headers.push_back({"Content-Type", "application/octet-stream"});
        const QByteArray range = request.headers.value("range");
        if (honourRange && range.startsWith("bytes=") && range.endsWith("-")) {
            const qint64 from = range.mid(6, range.size() - 7).toLongLong();
            r.status = 206;
            r.reason = "Partial Content";
            r.headers.push_back({"Content-Range", "bytes " + QByteArray::number(from) + "-" +
                                                   QByteArray::number(bytes.size() - 1) + "/" +
                                                   QByteArray::number(bytes.size())});
            r.body = bytes.mid(from);
        } else {
            r.body = bytes;
        }
        return r;
    }

private:
    static Request parse(const QByteArray& head) {
        Request request;
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0) request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        return request;
    }

    void answer(QTcpSocket* socket, const Request& request) {
        requests_.push_back(request);
        int index = 0;
        for (const Request& r : requests_) index += r.path == request.path ? 1 : 0;
        Response response;
        if (auto it = routes_.find(request.path); it != routes_.end()) {
            response = it->second(request, index - 1);
        } else {
            response.status = 404;
            response.reason = "Not Found";
            response.body = "no such file";
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " " + response.reason + "\r\n";
        for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
        const qint64 length = response.contentLength >= 0 ? response.contentLength : response.body.size();
        out += "Content-Length: " + QByteArray::number(length) + "\r\nConnection: close\r\n\r\n";
        out += response.cutAfter >= 0 ? response.body.left(response.cutAfter) : response.body;
        socket->write(out);
        socket->disconnectFromHost();  // after the bytes are written
    }

    std::unique_ptr<QTcpServer> server_ = std::make_unique<QTcpServer>();
    std::map<QByteArray, Handler> routes_;
    std::vector<Request> requests_;
};

}  // namespace qc::test
