# Which folder of core/ and ui/ may include which: dependencies point one way, and the build
# checks it (cmake/CheckLayers.cmake) before qualiclip_core or qualiclip_ui compiles a file.
# Each entry is "folder: what it may include besides itself and core/Errors.h"; "core" stands
# for every core folder, "ui" for every ui folder. core/ may include no Qt Widgets, Gui or
# PrintSupport header: the engine, the CLI and the tests run without a display.
set(QCI_LAYERS
  "images:"
  "engine: images"
  "results: engine images"
  "models: engine images"
  "about: engine models"
  "library: engine images models"
  "research: engine images results"
  "lab: engine images results research"
  "ui/widgets: core"
  "ui/maps: core ui/widgets"
  "ui/session: core ui/widgets"
  "ui/models: core ui/widgets ui/session"
  "ui/lab: core ui/widgets ui/maps"
  "ui/research: core ui/widgets"
  "ui/prompts: core ui/widgets"
  "ui/inspector: core ui")

# Headers that core/ must not include: every header of these Qt modules, by file name.
set(QCI_FORBIDDEN_IN_CORE "")
foreach(module Widgets Gui PrintSupport)
  foreach(dir ${Qt6${module}_INCLUDE_DIRS})
    if(dir MATCHES "Qt${module}$")
      list(APPEND QCI_FORBIDDEN_IN_CORE ${dir})
    endif()
  endforeach()
endforeach()

# qci_check_layers(TARGET): TARGET builds only after every file under core/ and ui/ keeps to
# QCI_LAYERS. The check reruns when a source file or this table changes.
function(qci_check_layers target)
  if(NOT TARGET qci_layer_check)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/core/*.h ${PROJECT_SOURCE_DIR}/core/*.cpp
         ${PROJECT_SOURCE_DIR}/ui/*.h ${PROJECT_SOURCE_DIR}/ui/*.cpp)
    set(stamp ${CMAKE_BINARY_DIR}/layer_check.stamp)
    add_custom_command(OUTPUT ${stamp}
      COMMAND ${CMAKE_COMMAND} "-DROOT=${PROJECT_SOURCE_DIR}" "-DLAYERS=${QCI_LAYERS}"
              "-DFORBIDDEN_DIRS=${QCI_FORBIDDEN_IN_CORE}" -P ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${sources} ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake ${PROJECT_SOURCE_DIR}/cmake/Layers.cmake
      COMMENT "Checking that core/ and ui/ include only what cmake/Layers.cmake allows"
      VERBATIM)
    add_custom_target(qci_layer_check DEPENDS ${stamp})
  endif()
  add_dependencies(${target} qci_layer_check)
endfunction()
