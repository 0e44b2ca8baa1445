# What `cmake --install build --prefix DIR` puts where: a tree that runs on its own.
# DIR/bin/sdegen; DIR/share/sdegen/{jobs,python}; DIR/share/doc/sdegen/{README.md,docs/}.
#
# The scripts in share/sdegen/jobs find the executable at ../../../bin/sdegen (or on PATH) and
# the Python module at ../python, the same relative places as in the source tree.
set(SDEGEN_INSTALL_SHAREDIR ${CMAKE_INSTALL_DATADIR}/sdegen)

install(TARGETS sdegen RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Scripts keep their executable bits; configs, the site-setup example and the example analyses come along.
install(DIRECTORY jobs/ DESTINATION ${SDEGEN_INSTALL_SHAREDIR}/jobs USE_SOURCE_PERMISSIONS
        PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY python/ DESTINATION ${SDEGEN_INSTALL_SHAREDIR}/python
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)

# README.md links to docs/*.md: keep that relative layout.
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")
