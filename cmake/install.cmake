# Install and export: `cmake --install build --prefix P` installs
#   P/bin/gdlimits, P/lib/libgdl.a, P/include/gdl/*.h,
#   P/lib/cmake/gdl/ (find_package(gdl 0.1 REQUIRED) -> target gdl::gdl), P/lib/pkgconfig/gdl.pc.
# libgdl is static only: results are compared bit for bit inside one build, and a static
# library keeps a downstream check tied to the exact code it was built from.
# The OpenBLAS-before-GSL link order is part of the exported target (gdl::gdl_blas comes
# before gdl::gdl_gsl, which links libgsl only, never gslcblas), so cblas_dgemm binds to
# OpenBLAS in a downstream program too (ctest install.downstream checks it).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

add_library(gdl::gdl ALIAS gdl)
install(TARGETS gdl gdl_blas gdl_gsl EXPORT gdlTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/gdl DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(TARGETS gdlimits RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# the man page generated from --help (cli/gen_man.cmake; ctest cli.man)
install(FILES ${CMAKE_BINARY_DIR}/cli/gdlimits.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(EXPORT gdlTargets NAMESPACE gdl:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdl)

set(GDL_CONFIG_OPENMP OFF)
if(GDL_OPENMP AND OpenMP_C_FOUND)
  set(GDL_CONFIG_OPENMP ON)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gdlConfig.cmake.in
  ${CMAKE_BINARY_DIR}/gdlConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdl)
# 0.x: a minor version may change the API
write_basic_package_version_file(${CMAKE_BINARY_DIR}/gdlConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/gdlConfig.cmake ${CMAKE_BINARY_DIR}/gdlConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdl)

# pkg-config: the same order, OpenBLAS first, then libgsl alone.
set(GDL_PC_EXTRA_LIBS "")
set(GDL_PC_EXTRA_CFLAGS "")
if(GDL_CONFIG_OPENMP)
  set(GDL_PC_EXTRA_LIBS "${OpenMP_C_FLAGS}")
  set(GDL_PC_EXTRA_CFLAGS "${OpenMP_C_FLAGS}")
endif()
if(GDL_SANITIZE)
  string(APPEND GDL_PC_EXTRA_LIBS " -fsanitize=address,undefined")
endif()
list(JOIN OPENBLAS_INCLUDE_DIRS " -I" GDL_PC_OPENBLAS_INC)
list(JOIN GSL_INCLUDE_DIRS " -I" GDL_PC_GSL_INC)
configure_file(${PROJECT_SOURCE_DIR}/cmake/gdl.pc.in ${CMAKE_BINARY_DIR}/gdl.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/gdl.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# A Debian package: `cd build && cpack -G DEB` writes gdlimits_<version>_<arch>.deb (ctest
# install.deb builds it, unpacks it and runs the packaged gdlimits).
set(CPACK_PACKAGE_NAME gdlimits)
set(CPACK_PACKAGE_VENDOR "gdlimits")
set(CPACK_PACKAGE_CONTACT "gdlimits developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Executable checks of what gradient descent cannot learn")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0 | libopenblas0-pthread, libgsl27, libgomp1")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGE_INSTALL_DIRECTORY /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)

if(GDL_BUILD_TESTS)
  # install to a temporary prefix, build examples/downstream against it (CMake package and
  # pkg-config), run its Criterion check, and check its cblas_dgemm binds to OpenBLAS
  add_test(NAME install.downstream
    COMMAND ${CMAKE_COMMAND} -DBUILD=${CMAKE_BINARY_DIR} -DSRC=${PROJECT_SOURCE_DIR}
            -DWORK=${CMAKE_BINARY_DIR}/install-test -P ${PROJECT_SOURCE_DIR}/cmake/test_install.cmake)
  set_tests_properties(install.downstream PROPERTIES LABELS quick TIMEOUT 300
    ENVIRONMENT "OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1")
  # cpack -G DEB, unpack it, run the packaged gdlimits --help
  find_program(GDL_DPKG_DEB dpkg-deb)
  if(GDL_DPKG_DEB)
    add_test(NAME install.deb
      COMMAND ${CMAKE_COMMAND} -DBUILD=${CMAKE_BINARY_DIR} -DWORK=${CMAKE_BINARY_DIR}/deb-test
              -P ${PROJECT_SOURCE_DIR}/cmake/test_deb.cmake)
    set_tests_properties(install.deb PROPERTIES LABELS quick TIMEOUT 300 RUN_SERIAL TRUE)
  endif()
endif()
