-- CreateTable
CREATE TABLE "InterfaceTextOverride" (
    "language" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "texts" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InterfaceTextOverride_pkey" PRIMARY KEY ("language","namespace")
);

-- CreateTable
CREATE TABLE "InterfaceLanguageStatus" (
    "language" TEXT NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InterfaceLanguageStatus_pkey" PRIMARY KEY ("language")
);

-- AddForeignKey
ALTER TABLE "InterfaceTextOverride" ADD CONSTRAINT "InterfaceTextOverride_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InterfaceLanguageStatus" ADD CONSTRAINT "InterfaceLanguageStatus_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;
