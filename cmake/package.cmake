# Debian packages by CPack (scripts/package.sh builds them):
#
#   libmemcg0      the shared library (component lib)
#   libmemcg-dev   headers, the static library, the libmemcg.so link and
#                  memcg.pc (component dev)
#   memcg-tools    memcg, memcg-player and the oracle's scripts, the
#                  preload library, the man pages and the bash completion
#                  (component tools: whatever tools/ and preload/ install)
#
# Installed under /usr. Depends: dpkg-shlibdeps for the binaries, plus
# libmemcg-dev on libmemcg0 of the same version and on liburcu-dev (the
# Requires.private of memcg.pc). Each package has its
# /usr/share/doc/PACKAGE/copyright, installed only for the packages
# (EXCLUDE_FROM_ALL: `cmake --install` does not).

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libmemcg)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "libmemcg maintainers <libmemcg@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "The Linux memory cgroup controller in userspace")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libmemcg-fuse.so.0 needs libmemcg.so.0 of the same package
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS usr/lib)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libmemcg0)
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIB_DESCRIPTION
    "The Linux memory cgroup controller in userspace (shared library)
 libmemcg rebuilds the Linux kernel's memory cgroup controller (charging,
 limits, protection, reclaim, OOM) as a C11 library for simulators and
 userspace schedulers.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmemcg-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libmemcg0 (= ${PROJECT_VERSION}-1), liburcu-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "The Linux memory cgroup controller in userspace (development files)
 Headers, the static library and the pkg-config file memcg.pc of
 libmemcg.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME memcg-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "Memory cgroup scenarios on libmemcg and on a real kernel
 memcg runs scenario files on libmemcg's engine, plots and sweeps them,
 and with the kernel oracle (qemu, installed on first use) runs them on a
 real Debian kernel, side by side with the engine.")

foreach(c lib dev tools)
  string(TOUPPER ${c} C)
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_DEBIAN_${C}_PACKAGE_NAME}
          COMPONENT ${c} EXCLUDE_FROM_ALL)
endforeach()

include(CPack)

# The packages of this build: names, control fields, contents, and
# memcg --version from a `dpkg -x` tree (label "install"; needs
# dpkg-deb, dpkg-shlibdeps and fakeroot).
if(MEMCG_BUILD_TESTS AND MEMCG_BUILD_TOOLS)
  add_test(NAME test_package
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/package-test.sh
                   ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
  set_tests_properties(test_package PROPERTIES LABELS install TIMEOUT 300)
endif()
