// What a user does with the mouse and keys, for the ui tests: choosing in a combo box through its
// popup, answering a file dialog by typing a path, clicking a table row, and dealing with a
// dialog that blocks the caller (a timer acts on it once it shows).
#pragma once

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QFileDialog>
#include <QLineEdit>
#include <QTimer>
#include <QtTest>

#include <functional>

namespace qc::ui::test {

// Calls `act` with the first visible top-level widget of type T once one shows (within
// `timeoutMs`); for dialogs that run their own event loop (exec, getOpenFileName).
template <typename T>
void whenShown(std::function<void(T*)> act, int timeoutMs = 15000) {
    auto* timer = new QTimer;
    const QDeadlineTimer deadline(timeoutMs);
    timer->setInterval(30);
    QObject::connect(timer, &QTimer::timeout, [timer, act, deadline] {
        for (QWidget* w : QApplication::topLevelWidgets()) {
            T* found = qobject_cast<T*>(w);
            if (!found || !found->isVisible()) continue;
            timer->stop();
            timer->deleteLater();
            act(found);
            return;
        }
        if (deadline.hasExpired()) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}

// Types `path` into the next file dialog's name box and presses its Open/Save/Choose button.
// An empty path cancels the dialog.
inline void answerFileDialog(const QString& path, QString* title = nullptr,
                             QString* typedBefore = nullptr) {
    whenShown<QFileDialog>([path, title, typedBefore](QFileDialog* dialog) {
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        if (title) *title = dialog->windowTitle();
        if (typedBefore && name) *typedBefore = name->text();
        if (path.isEmpty() || !name) {
            dialog->reject();
            return;
        }
        name->setText(path);
        static_cast<QDialog*>(dialog)->accept();  // the Open or Choose button
    });
}

// Opens the box's popup with a click, walks to the item `text` with the arrow keys and presses
// Enter, as a user chooses.
inline bool chooseInCombo(QComboBox* box, const QString& text) {
    const int row = box->findText(text);
    if (row < 0) return false;
    QTest::mouseClick(box, Qt::LeftButton);
    QAbstractItemView* view = box->view();
    if (!QTest::qWaitFor([view] { return view->isVisible(); }, 3000)) return false;
    QTest::keyClick(view, Qt::Key_Home);
    for (int i = 0; i < row; ++i) QTest::keyClick(view, Qt::Key_Down);
    QTest::keyClick(view, Qt::Key_Return);
    const bool chosen = QTest::qWaitFor(
        [box, row] { return box->currentIndex() == row && !box->view()->isVisible(); }, 3000);
    // The popup is a window of its own: the box's window takes the keyboard back, as on a desktop.
    box->window()->activateWindow();
    return chosen && QTest::qWaitForWindowActive(box->window());
}

// Gives the window the keyboard again, as the window manager does when a dialog closes.
inline bool activate(QWidget* window) {
    window->activateWindow();
    return QTest::qWaitForWindowActive(window);
}

// Clicks row `row` of a view (column `column`), with `modifiers` (Ctrl adds to the selection).
inline void clickRow(QAbstractItemView* view, int row, int column = 1,
                     Qt::KeyboardModifiers modifiers = {}) {
    const QModelIndex index = view->model()->index(row, column);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers,
                      view->visualRect(index).center());
}

}  // namespace qc::ui::test
